// The one door to the runner: what each kind of text looks like once it has left, read from a
// recording double of the runner port.
import { describe, expect, it } from 'vitest'
import { Door } from '../src/door.js'
import { MIN_MASKED_CHARS } from '../src/secrets.js'
import { recordingRunner } from './fixtures/recording-runner.js'

function door() {
  const runner = recordingRunner({ 'api-key': '  key-1234567  ' })
  return { runner, door: new Door(runner) }
}

describe('lines and annotations', () => {
  it('break workflow commands: `::` at a line start (after white space), `##[` anywhere', () => {
    const { runner, door: d } = door()
    d.info('ok ##[set-output name=x]1\n  ::stop-commands::t\n\u0085::warning::w\nnot::this')
    d.warn('::error::x', '##[t]')
    d.error('a ##[b')
    d.debug('::add-mask::x')
    expect(runner.calls).toEqual([
      {
        kind: 'info',
        text: 'ok ##\\x5bset-output name=x]1\n  \\x3a:stop-commands::t\n\\x85::warning::w\nnot::this'
      },
      { kind: 'warning', text: '\\x3a:error::x', title: '##\\x5bt]' },
      { kind: 'error', text: 'a ##\\x5bb' },
      { kind: 'debug', text: '\\x3a:add-mask::x' }
    ])
  })

  it('show CR, other controls and bidirectional characters as escapes, and keep LF as a line break', () => {
    const { runner, door: d } = door()
    d.info('a\rb\u202ec\u2066d\u0000e\u2028f\ng\\h')
    expect(runner.lines()).toEqual(['a\\rb\\u202ec\\u2066d\\x00e\\u2028f\ng\\h'])
  })

  it('scrub every secret registered, whatever wrote the text', () => {
    const { runner, door: d } = door()
    d.secret(d.input('api-key'))
    d.secret('4111 1111 1111 1111', 'card')
    d.secret('973', 'number')
    d.info('key key-1234567, card 4111-1111-1111-1111, cvv 973, order 19730')
    expect(runner.lines('info')).toEqual(['key ***, card ***, cvv ***, order 19730'])
    expect(d.scrub('4111111111111111')).toBe('***')
  })
})

describe('secrets', () => {
  it(`are masked from ${MIN_MASKED_CHARS} characters, never as a short number`, () => {
    const { runner, door: d } = door()
    expect(d.secret('abcdef')).toBe(true)
    expect(d.secret('abcde')).toBe(false)
    expect(d.secret('1234', 'number')).toBe(false)
    expect(d.secret('')).toBe(false)
    expect(d.secret(undefined)).toBe(false)
    expect(d.secret('4111 1111 1111 1111', 'card')).toBe(true)
    expect(runner.calls).toEqual([
      { kind: 'mask', secret: 'abcdef' },
      { kind: 'mask', secret: '4111 1111 1111 1111' }
    ])
    // Too short to mask, but still kept out of the action's own text.
    d.info('abcde')
    expect(runner.lines('info')).toEqual(['***'])
  })

  it('a secret output too short to mask is neither masked nor output, and says where to read it', () => {
    const { runner, door: d } = door()
    d.secretOutput('hardware-init-code', '1', 'order 7')
    expect(runner.calls).toEqual([
      {
        kind: 'warning',
        text:
          'The hardware-init-code is too short to be masked in the log (under 6 characters), so it ' +
          'is not output: read it in CertCentral (order 7).'
      }
    ])
    d.secretOutput('hardware-init-code', 'HW-123456', 'order 7')
    expect(runner.calls.slice(1)).toEqual([
      { kind: 'mask', secret: 'HW-123456' },
      { kind: 'output', name: 'hardware-init-code', value: 'HW-123456' }
    ])
  })
})

describe('outputs', () => {
  it('are one line, scrubbed, escaped, with a Windows path left as it is', () => {
    const { runner, door: d } = door()
    d.secret('s3cret-value')
    d.output('order-status', 'pending\n::set-output name=x::s3cret-value\u202e')
    d.output('order-id', 42)
    d.output('certificate-path', 'C:\\runner\\temp\\digicert-certificate-1.pem')
    expect(runner.outputs()).toEqual({
      'order-status': 'pending\\n\\x3a:set-output name=x::***\\u202e',
      'order-id': '42',
      'certificate-path': 'C:\\runner\\temp\\digicert-certificate-1.pem'
    })
  })
})

describe('the job summary', () => {
  it('renders a section, every text escaped for HTML and Markdown, `code` as <code>', async () => {
    const { runner, door: d } = door()
    d.secret('s3cret-value')
    await d.summary({
      heading: 'H <b>',
      table: [
        ['Field', 'Value'],
        ['Order', '</td><script>s3cret-value']
      ],
      paragraphs: ['Run `npm start` [x](https://e.example)']
    })
    expect(runner.summaryHtml()).toBe(
      '<h2>H &#60;b&#62;</h2>\n' +
        '<table><tr><th>Field</th><th>Value</th></tr>' +
        '<tr><td>Order</td><td>&#60;&#47;td&#62;&#60;script&#62;&#42;&#42;&#42;</td></tr></table>\n' +
        '<p>Run <code>npm start</code> &#91;x&#93;(https&#58;&#47;&#47;e&#46;example)</p>\n'
    )
  })

  it('gives way to its fallback when it would pass 60,000 bytes', async () => {
    const { runner, door: d } = door()
    const paragraphs = Array.from({ length: 30 }, () => '<'.repeat(3_000))
    await d.summary({ heading: 'H', paragraphs, fallback: 'See the log.' })
    expect(runner.summaryHtml()).toBe('<h2>H</h2>\n<p>See the log&#46;</p>\n')
    runner.calls.length = 0
    await d.summary({ heading: 'H', paragraphs: paragraphs.slice(0, 2), fallback: 'See the log.' })
    expect(runner.summaryHtml()).toContain('&#60;'.repeat(3_000))
  })

  it('only warns when it cannot be written', async () => {
    const { runner, door: d } = door()
    runner.summaryFails = new Error('EISDIR')
    await d.summary({ heading: 'H' })
    expect(runner.calls).toEqual([
      { kind: 'warning', text: 'The job summary could not be written: Error: EISDIR' }
    ])
  })

  it('fails the step with one error line', () => {
    const { runner, door: d } = door()
    d.fail('Order 7: no.')
    expect(runner.calls).toEqual([{ kind: 'error', text: 'Order 7: no.' }, { kind: 'fail' }])
    expect(runner.failed()).toBe(true)
  })
})
