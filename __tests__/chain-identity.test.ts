import { describe, expect, it } from 'vitest'
import { defaultBaseKey, type IdentitySource } from '../src/chain/identity.js'
import {
  baseKeyProblem,
  generationKey,
  MAX_BASE_KEY_LENGTH,
  MAX_GENERATIONS
} from '../src/order/chain-key.js'

const SOURCE: IdentitySource = {
  repositoryId: '123456789',
  repository: 'octo-org/app',
  product: 'code_signing',
  provisioningMethod: 'keylocker',
  organization: { id: 12345 }
}

describe("the certificate's default key", () => {
  it('is alphanumeric, with room for a generation suffix', () => {
    expect(defaultBaseKey(SOURCE).key).toMatch(/^gha[0-9a-f]{40}$/)
  })

  it('is the same for every run of the repository', () => {
    expect(defaultBaseKey({ ...SOURCE })).toEqual(defaultBaseKey(SOURCE))
  })

  it('follows the repository ID, not its name: a rename or a transfer keeps the key', () => {
    expect(defaultBaseKey({ ...SOURCE, repository: 'new-owner/renamed' })).toEqual(
      defaultBaseKey(SOURCE)
    )
    expect(defaultBaseKey(SOURCE).fallback).toBeUndefined()
  })

  it.each<[string, Partial<IdentitySource>]>([
    ['repository ID', { repositoryId: '987654321' }],
    ['product', { product: 'code_signing_ev' }],
    ['provisioning method', { provisioningMethod: 'email' }],
    ['organization', { organization: { id: 54321 } }],
    ['new organization', { organization: { name: 'Example Corp' } }]
  ])('changes with the %s', (_what, change) => {
    expect(defaultBaseKey({ ...SOURCE, ...change }).key).not.toBe(defaultBaseKey(SOURCE).key)
  })

  it("ignores case and spaces around a new organization's name", () => {
    const named = (name: string) => defaultBaseKey({ ...SOURCE, organization: { name } }).key
    expect(named(' Example Corp ')).toBe(named('example corp'))
  })
})

describe('without GITHUB_REPOSITORY_ID', () => {
  const byName = { ...SOURCE, repositoryId: undefined }

  it("derives from the repository's name and says so", () => {
    const { key, fallback } = defaultBaseKey(byName)
    expect(key).toMatch(/^gha[0-9a-f]{40}$/)
    expect(key).not.toBe(defaultBaseKey(SOURCE).key)
    expect(fallback).toBe(
      "GITHUB_REPOSITORY_ID is not set: the certificate's key derives from the repository's " +
        'name (GITHUB_REPOSITORY) instead of its ID, so renaming or transferring the repository ' +
        'would start a new certificate. Set alternative-order-id to keep one across such changes.'
    )
    expect(defaultBaseKey({ ...byName, repository: 'octo-org/other' }).key).not.toBe(key)
  })

  it.each([
    ['empty', ''],
    ['blank', '  ']
  ])('treats an %s ID as absent', (_what, repositoryId) => {
    expect(defaultBaseKey({ ...SOURCE, repositoryId })).toEqual(defaultBaseKey(byName))
  })

  it('never confuses a name with an ID of the same text', () => {
    expect(defaultBaseKey({ ...SOURCE, repositoryId: 'octo-org/app' }).key).not.toBe(
      defaultBaseKey(byName).key
    )
  })

  it('with neither, derives from the rest alone and says so', () => {
    const local = { ...SOURCE, repositoryId: undefined, repository: undefined }
    expect(defaultBaseKey({ ...local, repository: ' ' })).toEqual(defaultBaseKey(local))
    expect(defaultBaseKey(local).fallback).toBe(
      "Neither GITHUB_REPOSITORY_ID nor GITHUB_REPOSITORY is set (a local run?): the certificate's " +
        'key derives from the product, the provisioning method and the organization alone.'
    )
    expect(defaultBaseKey(local).key).not.toBe(defaultBaseKey(byName).key)
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
    expect(defaultBaseKey(SOURCE).key).toBe('ghaafbf1a40b3b66d1108fee68cd3f4268420e77fcf')
    expect(
      defaultBaseKey({
        repositoryId: undefined,
        repository: undefined,
        product: 'code_signing_ev',
        provisioningMethod: 'email',
        organization: { name: ' Example Corp' }
      }).key
    ).toBe('ghada56f3ebeb58d77b7906d90412dfa4be60c1845f')
    expect(defaultBaseKey({ ...SOURCE, repositoryId: undefined }).key).toBe(
      'gha55630426995b8fa8e37d7aa80a9c3cda9f3959d5'
    )
    // An organization named by neither ID nor name (the inputs refuse it) still gives one key.
    expect(defaultBaseKey({ ...SOURCE, organization: {} }).key).toBe(
      'gha9d8c31f4383c8303a53962b48d295947d5d8fa95'
    )
  })

  it('tells new organizations apart by name', () => {
    const named = (name: string) => defaultBaseKey({ ...SOURCE, organization: { name } }).key
    expect(named('Example Corp')).not.toBe(named('Other Corp'))
  })

  it('takes the ID of an organization over its name', () => {
    expect(
      defaultBaseKey({ ...SOURCE, organization: { id: 12345, name: 'Example Corp' } })
    ).toEqual(defaultBaseKey(SOURCE))
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
