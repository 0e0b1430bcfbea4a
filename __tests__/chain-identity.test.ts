import { describe, expect, it } from 'vitest'
import {
  baseKeyProblem,
  defaultBaseKey,
  generationKey,
  MAX_BASE_KEY_LENGTH,
  MAX_GENERATIONS,
  type IdentitySource
} from '../src/chain/identity.js'

const SOURCE: IdentitySource = {
  repository: 'octo-org/app',
  product: 'code_signing',
  provisioningMethod: 'keylocker',
  organization: { id: 12345 }
}

describe("the certificate's default key", () => {
  it('is alphanumeric, with room for a generation suffix', () => {
    expect(defaultBaseKey(SOURCE)).toMatch(/^gha[0-9a-f]{40}$/)
  })

  it('is the same for every run of the repository', () => {
    expect(defaultBaseKey({ ...SOURCE })).toBe(defaultBaseKey(SOURCE))
  })

  it.each<[string, Partial<IdentitySource>]>([
    ['repository', { repository: 'octo-org/other' }],
    ['product', { product: 'code_signing_ev' }],
    ['provisioning method', { provisioningMethod: 'email' }],
    ['organization', { organization: { id: 54321 } }],
    ['new organization', { organization: { name: 'Example Corp' } }]
  ])('changes with the %s', (_what, change) => {
    expect(defaultBaseKey({ ...SOURCE, ...change })).not.toBe(defaultBaseKey(SOURCE))
  })

  it("ignores case and spaces around a new organization's name", () => {
    const named = (name: string) => defaultBaseKey({ ...SOURCE, organization: { name } })
    expect(named(' Example Corp ')).toBe(named('example corp'))
  })
})

describe('generation keys', () => {
  it('are the base for the first generation and base + g + three digits later', () => {
    expect(generationKey('abc', 1)).toBe('abc')
    expect(generationKey('abc', 2)).toBe('abcg002')
    expect(generationKey('abc', 12)).toBe('abcg012')
    expect(generationKey('abc', MAX_GENERATIONS)).toBe('abcg100')
  })

  it('stay within 64 characters, never cut: the base leaves room for the suffix', () => {
    const long = 'x'.repeat(MAX_BASE_KEY_LENGTH)
    expect(MAX_BASE_KEY_LENGTH).toBe(60)
    expect(generationKey(long, 1)).toBe(long)
    expect(generationKey(long, 2)).toBe(`${long}g002`)
    expect(generationKey(long, 100)).toHaveLength(64)
    expect(() => generationKey(`${long}x`, 2)).toThrow(
      'The base key is 61 characters; the limit is 60'
    )
  })

  it('refuse a generation below 1 or above 100', () => {
    expect(() => generationKey('abc', 0)).toThrow(RangeError)
    expect(() => generationKey('abc', 101)).toThrow(
      new RangeError('generation 101 is not between 1 and 100')
    )
  })

  it('never equal another key nor its generations: a base may not end like a suffix', () => {
    // Before: `release` had `releaseg2` as its generation 2, a valid key of its own.
    expect(baseKeyProblem('releaseg002')).toContain('ends with g and three digits')
    expect(baseKeyProblem('releaseG100')).toContain('ends with g and three digits')
    expect(baseKeyProblem('releaseg2')).toBeUndefined()
    expect(baseKeyProblem('releaseg0020')).toBeUndefined()
    expect(baseKeyProblem('release')).toBeUndefined()
    expect(() => generationKey('releaseg002', 1)).toThrow(RangeError)
    // Every key of generation 2 onwards reads back to one base and one generation.
    const keys = new Set<string>()
    for (const base of ['release', 'releaseg2', 'rel', 'releaseg0', 'x'.repeat(60), 'x'.repeat(59)])
      for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
        const key = generationKey(base, generation)
        expect(keys.has(key), key).toBe(false)
        keys.add(key)
      }
  })
})

describe('the recipe of the default key', () => {
  // Every chain already ordered is found by this key: a change of the recipe starts a new chain
  // (and a new order) for every user, so it may only come with a new version tag in the seed.
  it('stays the same from release to release', () => {
    expect(defaultBaseKey(SOURCE)).toBe('gha540d0d659fb10e5baa36b08dbc9631e3bd0b554e')
    expect(
      defaultBaseKey({
        repository: undefined,
        product: 'code_signing_ev',
        provisioningMethod: 'email',
        organization: { name: ' Example Corp' }
      })
    ).toBe('gha13284a4222bbb287b0c0cfba50b7dae58760dfb8')
    // An organization named by neither ID nor name (the inputs refuse it) still gives one key.
    expect(defaultBaseKey({ ...SOURCE, organization: {} })).toBe(
      'gha4461ba889d190c124a065c1e65f45cd4947e3b31'
    )
  })

  it('tells new organizations apart by name', () => {
    const named = (name: string) => defaultBaseKey({ ...SOURCE, organization: { name } })
    expect(named('Example Corp')).not.toBe(named('Other Corp'))
  })

  it('takes the ID of an organization over its name', () => {
    expect(defaultBaseKey({ ...SOURCE, organization: { id: 12345, name: 'Example Corp' } })).toBe(
      defaultBaseKey(SOURCE)
    )
  })
})

describe('generation keys, further', () => {
  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, -1, 2 ** 53])(
    'refuse generation %s, naming it',
    generation => {
      expect(() => generationKey('abc', generation)).toThrow(
        new RangeError(`generation ${generation} is not between 1 and 100`)
      )
    }
  )

  it('refuse a base with no room for the suffix rather than cut it', () => {
    // Cut, two 64-character keys that differ at the end shared every later generation.
    expect(() => generationKey(`${'y'.repeat(60)}abcd`, 2)).toThrow(RangeError)
    expect(() => generationKey(`${'y'.repeat(60)}abce`, 1)).toThrow(RangeError)
  })
})
