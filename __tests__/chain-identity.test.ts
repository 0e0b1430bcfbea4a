import { describe, expect, it } from 'vitest'
import { defaultBaseKey, generationKey, type IdentitySource } from '../src/chain/identity.js'

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
    ['new organization', { organization: { name: 'Example Corp' } }],
    ['CSR public key', { publicKeySha256: 'ab'.repeat(32) }]
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
  it('are the base for the first generation and base + g<n> later', () => {
    expect(generationKey('abc', 1)).toBe('abc')
    expect(generationKey('abc', 2)).toBe('abcg2')
    expect(generationKey('abc', 12)).toBe('abcg12')
  })

  it('stay within 64 characters', () => {
    const long = 'x'.repeat(64)
    expect(generationKey(long, 1)).toBe(long)
    expect(generationKey(long, 2)).toBe(`${'x'.repeat(62)}g2`)
    expect(generationKey(long, 100)).toHaveLength(64)
  })

  it('refuse a generation below 1', () => {
    expect(() => generationKey('abc', 0)).toThrow(RangeError)
  })
})

describe('the recipe of the default key', () => {
  // Every chain already ordered is found by this key: a change of the recipe starts a new chain
  // (and a new order) for every user, so it may only come with a new version tag in the seed.
  it('stays the same from release to release', () => {
    expect(defaultBaseKey(SOURCE).key).toBe('ghac64c7741736aa4bb3b1384e1b5880bc7046b59b9')
    expect(
      defaultBaseKey({
        repositoryId: undefined,
        repository: undefined,
        product: 'code_signing_ev',
        provisioningMethod: 'email',
        organization: { name: ' Example Corp' },
        publicKeySha256: 'ab'.repeat(32)
      }).key
    ).toBe('gha7f52ef581648efe99853a3b7525d54c12926a766')
    expect(defaultBaseKey({ ...SOURCE, repositoryId: undefined }).key).toBe(
      'gha58796adaaec96b334ea889f334abe9dc18618a19'
    )
    // An organization named by neither ID nor name (the inputs refuse it) still gives one key.
    expect(defaultBaseKey({ ...SOURCE, organization: {} }).key).toBe(
      'ghae228bc04242b9e2690bdc88f267aed18b6e2a43d'
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
        new RangeError(`generation ${generation} is not a positive integer`)
      )
    }
  )

  it('cut a long base just enough for the suffix', () => {
    const base = `${'y'.repeat(60)}abcd`
    expect(generationKey(base, 2)).toBe(`${'y'.repeat(60)}abg2`)
    expect(generationKey(base, 100)).toBe(`${'y'.repeat(60)}g100`)
    expect(generationKey('y'.repeat(61), 100)).toBe(`${'y'.repeat(60)}g100`)
  })
})
