// The README's local run: `npx local-action . src/index.ts .env` with the inputs of .env.example,
// against the CertCentral simulator. @github/local-action runs the TypeScript source (not dist/)
// with its own stand-in for @actions/core, as a developer would.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './support/simulator.js'

const ROOT = resolve(import.meta.dirname, '..')
const API_KEY = 'local-action-test-key'

/** `npx local-action <args>`: the package's bin, started with this Node (npx is a .cmd on Windows). */
function localAction(
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<{ code: number | null; output: string }> {
  const bin = join(ROOT, 'node_modules/@github/local-action/bin/local-action.js')
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      resolvePromise({ code, output })
    })
  })
}

/** The environment of this process less everything a workflow run or a test set. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|VITEST|NODE_OPTIONS$)/.test(name)
    )
  )
}

describe('npx local-action . src/index.ts .env', () => {
  let sim: Simulator
  let dir: string
  beforeAll(async () => {
    sim = await startSimulator({ apiKey: API_KEY })
    dir = await mkdtemp(join(tmpdir(), 'local-action-'))
  })
  afterAll(async () => {
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it(
    'orders from the simulator with the inputs of .env.example',
    { timeout: 120_000 },
    async () => {
      const example = await readFile(join(ROOT, '.env.example'), 'utf8')
      expect(example).toMatch(/^INPUT_API-URL=/m)
      expect(example).toMatch(/^INPUT_API-KEY=/m)
      // Only the simulator's URL (a free port here, 8089 in the file) and key change.
      const envFile = join(dir, '.env')
      await writeFile(
        envFile,
        example
          .replace(/^INPUT_API-URL=.*$/m, `INPUT_API-URL=${sim.url}`)
          .replace(/^INPUT_API-KEY=.*$/m, `INPUT_API-KEY=${API_KEY}`) + `RUNNER_TEMP=${dir}\n`
      )

      // local-action runs tsx, which keeps a folder in the temp directory: this test's own, removed after it.
      const temp = { TMPDIR: dir, TMP: dir, TEMP: dir }
      const { code, output } = await localAction(['.', 'src/index.ts', envFile], {
        ...cleanEnv(),
        ...temp
      })
      expect(code, output).toBe(0)

      const posts = sim.requests.filter(r => r.method === 'POST')
      expect(posts.map(r => r.path)).toEqual(['/services/v2/order/certificate/code_signing'])
      expect(posts[0]?.headers['x-dc-devkey']).toBe(API_KEY)
      expect(posts[0]?.body).toMatchObject({
        organization: {
          id: 12345,
          contacts: [{ contact_type: 'verified_contact', user_id: 67890 }]
        },
        skip_approval: true,
        cs_provisioning_method: 'keylocker'
      })
      const [order] = sim.orders
      expect(sim.orders).toHaveLength(1)
      expect(order?.status).toBe('issued')
      // local-action prints the outputs the action set.
      expect(output).toContain(`::set-output name=order-id::${order?.id}`)
      expect(output).toContain('::set-output name=order-status::issued')
      expect(output).not.toContain('::error')
    }
  )
})
