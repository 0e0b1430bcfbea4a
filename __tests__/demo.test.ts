// `npm start`, as a new user runs it: the log looks like the Actions UI's, with no workflow
// commands, no debug lines and no key; the inputs come from examples/inputs.yml alone.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { spawnCaptured } from './support/run-action.js'
import { DEFAULT_SCENARIO, SCENARIOS, scenarioList, scenarioNamed } from '../scripts/scenarios.js'

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

describe('npm start -- --scenario', () => {
  it('list: the six scenarios, each with its sentence, first-order the default', () => {
    expect(SCENARIOS.map(s => s.name)).toEqual([
      'first-order',
      'reuse',
      'renewal',
      'pending',
      'renewed-elsewhere',
      'rejected'
    ])
    expect(DEFAULT_SCENARIO).toBe('first-order')
    const list = scenarioList().split('\n')
    expect(list.filter(line => !line.startsWith('  '))).toEqual([
      'first-order (default)',
      'reuse',
      'renewal',
      'pending',
      'renewed-elsewhere',
      'rejected'
    ])
    for (const s of SCENARIOS) expect(list).toContain(`  ${s.about}`)
  })

  it('refuses a name it does not know, naming those it knows', () => {
    expect(scenarioNamed('renewal').name).toBe('renewal')
    expect(() => scenarioNamed('expired')).toThrow(
      'There is no scenario "expired". Scenarios: first-order, reuse, renewal, pending, ' +
        'renewed-elsewhere, rejected (npm start -- --scenario list describes them).'
    )
  })
})

describe.concurrent('npm start', () => {
  it('--scenario reuse: an earlier release ordered, the run shown reuses and orders nothing', async () => {
    const run = await demo('--scenario', 'reuse')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('=== Scenario: reuse ===')
    expect(run.stdout).toMatch(/^order-action: reused$/m)
    const requests = /=== Requests the simulator received ===\n([\s\S]*?)\n\n/.exec(run.stdout)?.[1]
    expect(requests, run.stdout).not.toMatch(/^POST /m)
  })

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
    const calls = [...source.matchAll(/runAction\(\s*\{([\s\S]*?)\}\s*,\s*\{ env \}\s*\)/g)]
    expect(calls).toHaveLength(2) // a scenario's earlier runs, and the run shown
    const added = calls.map(call => call[1] ?? '').join('\n')
    expect([...new Set([...added.matchAll(/'([a-z-]+)':/g)].map(m => m[1]))].sort()).toEqual([
      'api-key',
      'api-url',
      'dry-run'
    ])
  })
})
