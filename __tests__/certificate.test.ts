import { describe, expect, it } from 'vitest'
import { readLeaf } from '../src/certificate.js'
import { formatDuration } from '../src/duration.js'
import { ACTION_VERSION } from '../src/version.js'
import packageJson from '../package.json' with { type: 'json' }

describe('reading an issued chain', () => {
  it('refuses a file without a certificate', () => {
    expect(() => readLeaf('not a pem')).toThrow(/no PEM certificate/)
  })
})

describe('formatDuration', () => {
  it('reads like a person would say it', () => {
    expect(formatDuration(4_400)).toBe('4s')
    expect(formatDuration(65_000)).toBe('1m 05s')
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2h 05m')
  })
})

describe('the User-Agent version', () => {
  it('is the package version', () => {
    expect(ACTION_VERSION).toBe(packageJson.version)
  })
})
