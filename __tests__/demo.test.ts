// `npm start`, as a new user runs it: the log looks like the Actions UI's, with no workflow
// commands, no debug lines and no key; the inputs come from examples/inputs.yml alone.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { spawnCaptured } from './support/run-action.js'

const ROOT = resolve(import.meta.dirname, '..')

/**
 * scripts/demo.ts run as `npm start` runs it (tsx), in the tests' temporary directory, which must
 * be empty at the end: the demo removes its run's files. tsx's cache would stay there.
 */
function demo(...args: string[]) {
  return spawnCaptured(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'scripts/demo.ts'), ...args],
    { ...process.env, TSX_DISABLE_CACHE: '1' },
    60_000
  )
}

describe.concurrent('npm start', () => {
  it('shows what a workflow run shows: no workflow commands, no debug lines, no key', async () => {
    const run = await demo()
    expect(run.code, run.stderr).toBe(0)
    const log = /=== Log \(what the workflow run shows\) ===\n([\s\S]*?)\n=== /.exec(
      run.stdout
    )?.[1]
    expect(log, run.stdout).toBeDefined()
    expect(log).toMatch(/^Done: order \d+, certificate issued/m)
    expect(run.stdout).not.toMatch(/^::/m)
    expect(run.stdout).not.toMatch(/debug\]|Order body/)
    expect(run.stdout).not.toContain('demo-api-key')
  })

  it('shows the debug lines when asked for', async () => {
    const run = await demo('--debug')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^##\[debug\]Order body: \{/m)
    expect(run.stdout).not.toMatch(/^::/m)
  })

  it('takes every input it sends from examples/inputs.yml, besides the key and URL', async () => {
    const inputs = parse(await readFile(resolve(ROOT, 'examples/inputs.yml'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(inputs).toMatchObject({ 'wait-for': 'issued', 'poll-interval': '1s' })
    const source = await readFile(resolve(ROOT, 'scripts/demo.ts'), 'utf8')
    const added = /runAction\(\{([\s\S]*?)\}\)/.exec(source)?.[1] ?? ''
    expect([...added.matchAll(/'([a-z-]+)':/g)].map(m => m[1]).sort()).toEqual([
      'api-key',
      'api-url',
      'dry-run'
    ])
  })
})
