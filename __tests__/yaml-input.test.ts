// Object inputs' YAML reading: the failsafe schema, and the problems it reports (the line, never the
// text).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseYaml } from '../src/order/yaml-input.js'

describe('parseYaml', () => {
  it('keeps every scalar the string that was typed (failsafe schema)', async () => {
    expect(await parseYaml('zip: 02134\ncount: 3\nflag: true\nlist: [1, 2]')).toEqual({
      ok: true,
      value: { zip: '02134', count: '3', flag: 'true', list: ['1', '2'] }
    })
  })

  it('reads JSON', async () => {
    expect(await parseYaml('{"name": "Example", "ids": [1]}')).toEqual({
      ok: true,
      value: { name: 'Example', ids: ['1'] }
    })
  })

  it('names the line and column of a syntax error, without the excerpt the library appends', async () => {
    expect(await parseYaml('a:\n  b: 1\n c: 2')).toEqual({
      ok: false,
      message:
        'is not valid YAML or JSON at line 3, column 1: All mapping items must start at the same column'
    })
  })

  it('strips a position of several digits from the reason', async () => {
    const text = `${'\n'.repeat(11)}abcdefghi: [1, 2`
    expect(await parseYaml(text)).toEqual({
      ok: false,
      message:
        'is not valid YAML or JSON at line 12, column 17: Flow sequence in block collection must be sufficiently indented and end with a ]'
    })
  })

  it('refuses more than one document, saying so', async () => {
    expect(await parseYaml('a: 1\n---\nb: 2')).toEqual({
      ok: false,
      message:
        'is not valid YAML or JSON at line 2, column 1: it holds more than one YAML document (---)'
    })
  })

  it('refuses an alias whose anchor is not set before it', async () => {
    expect(await parseYaml('a: *card\nb: &card 1')).toEqual({
      ok: false,
      message: 'uses an alias (*name) whose anchor (&name) is not set before it'
    })
  })

  it('expands a few aliases', async () => {
    expect(await parseYaml('a: &x [1]\nb: *x')).toEqual({
      ok: true,
      value: { a: ['1'], b: ['1'] }
    })
  })

  it('refuses an alias expansion past the library limit ("billion laughs")', async () => {
    const text = [
      'a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'
    ].join('\n')
    expect(await parseYaml(text)).toEqual({
      ok: false,
      message: 'expands too many YAML aliases (*name); write the values out'
    })
  })

  // credit-card is YAML and a secret: a problem names the line and column, never the text typed.
  const CARD = '4111111111111111'
  const CVV = '987'
  it.each([
    [
      `number: |${CARD}\ncvv: ${CVV}`,
      'at line 1, column 11: something stands where YAML expects nothing more: a stray bracket or comma, a value after the end of an item, or text after a block scalar indicator (| or >)'
    ],
    [
      `cvv: "\\q${CVV}"`,
      'at line 1, column 7: a double-quoted value holds an escape sequence (\\) that YAML does not know'
    ],
    [
      `%YAML ${CVV}\n---\nnumber: ${CARD}`,
      'at line 1, column 7: it holds a YAML directive (%) that is not supported'
    ],
    [`[${CARD}]]${CVV}`, 'at line 1, column 19: something stands where YAML expects nothing more'],
    [`number: ${CARD}\ncvv: [${CVV}`, 'at line 2, column 10: Flow sequence in block collection']
  ])('does not quote %j in its problem', async (text, expected) => {
    const result = await parseYaml(text)
    expect(result.ok).toBe(false)
    const message = result.ok ? '' : result.message
    expect(message).toContain(`is not valid YAML or JSON ${expected}`)
    expect(message).not.toContain(CVV)
    expect(message).not.toContain(CARD.slice(0, 4))
  })

  describe('warnings', () => {
    afterEach(() => vi.restoreAllMocks())
    it('prints none of the library, whose warnings quote what was typed', async () => {
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
      const console_ = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
      expect((await parseYaml(`? [${CVV}, ${CARD}]\n: 1`)).ok).toBe(true)
      expect(warn).not.toHaveBeenCalled()
      expect(console_).not.toHaveBeenCalled()
    })
  })
})
