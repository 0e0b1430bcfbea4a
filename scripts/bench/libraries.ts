// What libraries cost at start-up, for the design notes (docs/design.md): a one-line entry per library,
// bundled by ncc as dist/ is (minified), then run like the action, interleaved with `node -e 0`.
// - `@actions/github`'s `context`, which this action does without (it reads four GITHUB_*
//   variables instead);
// - `undici`, which @actions/core 3 loads through @actions/http-client 4 for OIDC tokens, which this
//   action never asks for (actions/toolkit issue 1560);
// - `@actions/core` itself, undici included.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { BenchNode } from './nodes.js'
import { runNode } from './processes.js'
import { directoryBytes } from './startup.js'

const ROOT = resolve(import.meta.dirname, '../..')
const NCC = join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js')

export interface LibraryCost {
  name: string
  /** The package and version bundled, e.g. `@actions/github 7.0.0`. */
  bundled: string
  bytes: number
  /** The fastest run: load on the machine only ever adds time, so it is the steadiest figure. */
  fastestMs: number
  /** The fastest `node -e 0` of the same rounds. */
  baselineMs: number
  runs: number
}

const ENTRIES = [
  {
    name: "`@actions/github`'s `context`",
    pkg: '@actions/github',
    code: "import { context } from '@actions/github'\nconsole.log(context.runId)\n"
  },
  {
    name: '`undici` (`ProxyAgent`, as @actions/http-client 4 imports it)',
    pkg: 'undici',
    code: "import { ProxyAgent } from 'undici'\nconsole.log(typeof ProxyAgent)\n"
  },
  {
    name: '`@actions/core` (`getInput`), undici included',
    pkg: '@actions/core',
    code: "import * as core from '@actions/core'\nconsole.log(core.getInput('x'))\n"
  }
] as const

async function versionOf(pkg: string): Promise<string> {
  const json = JSON.parse(
    await readFile(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')
  ) as { version: string }
  return json.version
}

export async function measureLibraries(
  node: BenchNode,
  runs: number,
  log: (line: string) => void
): Promise<LibraryCost[]> {
  // The entries live under node_modules (ignored by git) so that ncc resolves the packages there.
  const sources = join(ROOT, 'node_modules/.cache/bench-libraries')
  const out = await mkdtemp(join(tmpdir(), 'bench-libraries-'))
  try {
    await mkdir(sources, { recursive: true })
    const built = []
    for (const [i, entry] of ENTRIES.entries()) {
      const file = join(sources, `entry-${i}.mjs`)
      await writeFile(file, entry.code)
      const dir = join(out, String(i))
      execFileSync(node.path, [NCC, 'build', file, '-o', dir, '--minify', '--quiet'], {
        stdio: 'ignore'
      })
      // ncc names the bundle after the entry's kind: index.mjs for an .mjs entry.
      const bundle = (await readdir(dir)).find(name => /^index\.m?js$/.test(name))
      if (bundle === undefined) throw new Error(`ncc wrote no index.js for ${entry.pkg}`)
      built.push({ entry, bundle: join(dir, bundle), bytes: await directoryBytes(dir) })
    }
    const times: number[][] = built.map(() => [])
    const baseline: number[] = []
    for (let round = 0; round < runs; round++) {
      baseline.push((await runNode({ node: node.path, args: ['-e', '0'] })).wallMs)
      for (const [i, { bundle }] of built.entries()) {
        const run = await runNode({ node: node.path, args: [bundle] })
        if (run.code !== 0) throw new Error(`${ENTRIES[i]?.pkg} entry failed:\n${run.stderr}`)
        times[i]?.push(run.wallMs)
      }
    }
    log(`  libraries measured on ${node.version} (${runs} runs each)`)
    return Promise.all(
      built.map(async ({ entry, bytes }, i) => ({
        name: entry.name,
        bundled: `${entry.pkg} ${await versionOf(entry.pkg)}`,
        bytes,
        fastestMs: Math.min(...(times[i] ?? [])),
        baselineMs: Math.min(...baseline),
        runs
      }))
    )
  } finally {
    await rm(out, { recursive: true, force: true })
    await rm(sources, { recursive: true, force: true })
  }
}
