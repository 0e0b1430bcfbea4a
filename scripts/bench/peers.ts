// Other actions measured beside this one, each to its first input error (run without inputs), on
// the same Node, in the same rounds, as a ratio to `node -e 0`: `npm run bench -- --peers DIR`,
// where DIR holds one folder per action with its action.yml and dist/ (and optionally a COMMIT
// file saying which commit, e.g. `abc1234 2026-08-18`). Measured on the same machine at the same
// time, the ratios compare fairly even when the machine is busy, which cited figures do not.
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { DIST_ENTRY } from '../../__tests__/support/run-action.js'
import type { BenchNode } from './nodes.js'
import { runNode } from './processes.js'

export interface PeerCost {
  /** The folder's name, e.g. actions__setup-node for actions/setup-node. */
  name: string
  commit?: string
  /** The fastest run: load on the machine only ever adds time, so it is the steadiest figure. */
  fastestMs: number
  /** Exit codes seen: an input error exits 1. */
  exitCodes: number[]
}

export interface PeerResults {
  node: string
  runs: number
  /** The fastest `node -e 0` of the same rounds. */
  baselineMs: number
  /** This action without inputs, measured in the same rounds. */
  self: PeerCost
  peers: PeerCost[]
}

interface Peer {
  name: string
  main: string
  commit?: string
}

async function findPeers(dir: string): Promise<Peer[]> {
  const peers: Peer[] = []
  for (const name of (await readdir(dir)).sort()) {
    const actionYml = join(dir, name, 'action.yml')
    if (!existsSync(actionYml)) continue
    const action = parse(await readFile(actionYml, 'utf8')) as { runs?: { main?: string } }
    if (typeof action.runs?.main !== 'string') continue
    const commitFile = join(dir, name, 'COMMIT')
    const commit = existsSync(commitFile) ? (await readFile(commitFile, 'utf8')).trim() : undefined
    peers.push({ name, main: join(dir, name, action.runs.main), ...(commit && { commit }) })
  }
  return peers
}

export async function measurePeers(
  dir: string,
  node: BenchNode,
  runs: number,
  log: (line: string) => void
): Promise<PeerResults> {
  const peers = await findPeers(dir)
  if (peers.length === 0) throw new Error(`no action.yml with runs.main under ${dir}`)
  // Their own HOME, and any request sent to a closed port: a peer that got past its input checks
  // would fail there instead of reaching out.
  const home = await mkdtemp(join(tmpdir(), 'bench-peers-'))
  const closed = 'http://127.0.0.1:9'
  const env = {
    HOME: home,
    USERPROFILE: home,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed
  }
  try {
    const subjects = [{ name: 'this action', main: DIST_ENTRY }, ...peers]
    const times = subjects.map(() => [] as number[])
    const codes = subjects.map(() => new Set<number>())
    const baseline: number[] = []
    for (let round = 0; round <= runs; round++) {
      // Round 0 warms the file cache and is not counted; each round starts with another subject.
      const order = [-1, ...subjects.keys()]
      const shift = round % order.length
      for (const i of [...order.slice(shift), ...order.slice(0, shift)]) {
        const run = await runNode({
          node: node.path,
          args: i === -1 ? ['-e', '0'] : [subjects[i]?.main ?? ''],
          env
        })
        if (round === 0) continue
        if (i === -1) baseline.push(run.wallMs)
        else {
          times[i]?.push(run.wallMs)
          codes[i]?.add(run.code ?? -1)
        }
      }
    }
    log(`  peers measured on ${node.version} (${runs} runs each)`)
    const cost = (i: number): PeerCost => {
      const commit = peers[i - 1]?.commit
      return {
        name: subjects[i]?.name ?? '',
        ...(commit !== undefined && { commit }),
        fastestMs: Math.min(...(times[i] ?? [])),
        exitCodes: [...(codes[i] ?? [])].sort()
      }
    }
    return {
      node: node.version,
      runs,
      baselineMs: Math.min(...baseline),
      self: cost(0),
      peers: peers.map((_, i) => cost(i + 1))
    }
  } finally {
    await rm(home, { recursive: true, force: true })
  }
}
