// The release procedure (scripts/release.ts): what it checks, and the tags it makes, in a scratch
// git repository holding a copy of the script.
import { execFileSync } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { changelogSection, planRelease, type ReleaseFacts } from '../scripts/release/plan.js'
import { spawnCaptured } from './support/run-action.js'

const ROOT = resolve(import.meta.dirname, '..')
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href

const changelog = (version: string): string => `# Changelog

## [Unreleased]

## [${version}] - 2026-12-01

### Fixed

- Something users see.

## [1.0.0] - 2026-11-30

### Added

- The first release.

[Unreleased]: https://github.com/OWNER/x/compare/v${version}...HEAD
[${version}]: https://github.com/OWNER/x/releases/tag/v${version}
[1.0.0]: https://github.com/OWNER/x/releases/tag/v1.0.0
`

const facts = (overrides: Partial<ReleaseFacts> = {}): ReleaseFacts => ({
  version: '1.0.1',
  changelog: changelog('1.0.1'),
  tags: ['v1.0.0', 'v1'],
  status: '',
  branch: 'main',
  ...overrides
})

describe('planRelease', () => {
  it('tags vX.Y.Z and moves vX, with the CHANGELOG section as notes', () => {
    expect(planRelease(facts())).toEqual({
      ok: true,
      plan: { tag: 'v1.0.1', majorTag: 'v1', notes: '### Fixed\n\n- Something users see.' }
    })
  })

  it('refuses an existing tag, a missing or undated section, a dirty tree and another branch, all at once', () => {
    const result = planRelease(
      facts({
        version: '1.0.0',
        changelog: changelog('1.0.1').replace('## [1.0.0] - 2026-11-30', '## [1.0.0]'),
        status: ' M src/main.ts',
        branch: 'issue-12'
      })
    )
    expect(result.ok).toBe(false)
    const problems = result.ok ? [] : result.problems
    expect(problems).toEqual([
      expect.stringMatching(/^v1\.0\.0 exists already/),
      expect.stringMatching(/^CHANGELOG\.md has no "## \[1\.0\.0\] - YYYY-MM-DD" section/),
      expect.stringMatching(/working tree has changes/),
      expect.stringMatching(/tagged on main, not on issue-12/)
    ])
  })

  it('refuses a version that is not X.Y.Z, or a 0.Y.Z one', () => {
    expect(planRelease(facts({ version: '1.1.0-rc.1' })).ok).toBe(false)
    expect(planRelease(facts({ version: '0.9.0', changelog: changelog('0.9.0') }))).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/0\.Y\.Z version has no stable major tag/)]
    })
  })

  it('finds the section up to the next heading, without the link references', () => {
    expect(changelogSection(changelog('1.0.1'), '1.0.0')).toBe('### Added\n\n- The first release.')
    expect(changelogSection(changelog('1.0.1'), '1.0.2')).toBeUndefined()
  })
})

describe('npm run release, in a scratch repository', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()

  async function repo(version: string): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'release-test-'))
    await mkdir(join(dir, 'scripts/release'), { recursive: true })
    await copyFile(join(ROOT, 'scripts/release.ts'), join(dir, 'scripts/release.ts'))
    await copyFile(join(ROOT, 'scripts/release/plan.ts'), join(dir, 'scripts/release/plan.ts'))
    await writeFile(join(dir, 'package.json'), JSON.stringify({ version, type: 'module' }))
    await writeFile(join(dir, 'CHANGELOG.md'), changelog(version))
    git(dir, 'init', '--quiet', '--initial-branch=main')
    git(dir, 'add', '.')
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'c')
    return dir
  }

  const release = (cwd: string, ...args: string[]) =>
    spawnCaptured(
      process.execPath,
      // tsx's loader, as `npm run release` uses it; its CLI would leave a folder in the temp directory.
      ['--import', TSX, join(cwd, 'scripts/release.ts'), ...args],
      {
        ...process.env,
        TSX_DISABLE_CACHE: '1',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com'
      },
      60_000
    )

  it('tags v1.0.1 and moves v1 to it, and refuses to tag v1.0.1 again', async () => {
    const cwd = await repo('1.0.1')
    git(
      cwd,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'tag',
      '-a',
      'v1',
      '-m',
      'old',
      'HEAD'
    )
    await writeFile(join(cwd, 'more.txt'), 'x')
    git(cwd, 'add', '.')
    git(cwd, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'd')

    const run = await release(cwd)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('git push origin refs/tags/v1.0.1')
    expect(run.stdout).toContain('git push --force origin refs/tags/v1')
    const head = git(cwd, 'rev-parse', 'HEAD')
    expect(git(cwd, 'rev-parse', 'v1.0.1^{commit}')).toBe(head)
    expect(git(cwd, 'rev-parse', 'v1^{commit}')).toBe(head)
    expect(git(cwd, 'tag', '-l', '--format=%(contents)', 'v1.0.1')).toContain(
      '- Something users see.'
    )

    const again = await release(cwd, '--check')
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/v1\.0\.1 exists already/)
  })
})
