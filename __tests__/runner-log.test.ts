import { describe, expect, it } from 'vitest'
import { runnerLog } from '../scripts/runner-log.js'

describe('runnerLog: the log as the Actions UI shows it', () => {
  const raw = [
    '::add-mask::s3cret-key',
    '::debug::Order body: {"k":1}',
    'Placed order 1 with key s3cret-key.',
    '::warning::2 years is more than 459 days%0Asecond line 100%25',
    '::error title=Input::organization is required',
    '::notice::fyi',
    '::group::Details',
    'inside',
    '::endgroup::',
    'Done.'
  ].join('\n')

  it('drops mask commands and masks their values', () => {
    const shown = runnerLog(raw)
    expect(shown).not.toContain('add-mask')
    expect(shown).not.toContain('s3cret-key')
    expect(shown).toContain('Placed order 1 with key ***.')
  })

  it('hides debug lines unless asked for, then shows them as the runner does', () => {
    expect(runnerLog(raw)).not.toMatch(/debug|Order body/)
    expect(runnerLog(raw, { debug: true })).toContain('##[debug]Order body: {"k":1}')
  })

  it('labels annotations, unescapes their data and shows groups by their title', () => {
    expect(runnerLog(raw).split('\n')).toEqual([
      'Placed order 1 with key ***.',
      'Warning: 2 years is more than 459 days',
      'second line 100%',
      'Error: organization is required',
      'Notice: fyi',
      '▾ Details',
      'inside',
      'Done.'
    ])
  })

  it('masks the longer of two overlapping secrets whole', () => {
    expect(runnerLog('::add-mask::abc\n::add-mask::abcdef\nkey abcdef')).toBe('key ***')
  })
})
