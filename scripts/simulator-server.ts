// `npx tsx scripts/simulator-server.ts [options]`: the project's CertCentral simulator as a server
// for CI jobs and local runs (`uses: ./`, `npx local-action`). Test support, never bundled.
//
//   --port N         port on 127.0.0.1 (default 0: a free port)
//   --api-key KEY    the only API key the simulator accepts (default 'simulator-api-key')
//   --url-file PATH  also write the api-url to this file
//   --detach         start the server in a background process, wait until it listens, then exit;
//                    the server lives on (until killed, or the CI job ends)
//
// When it listens it prints `api-url: <url>`, and if GITHUB_ENV is set (a GitHub Actions step) it
// appends CERTCENTRAL_SIMULATOR_URL and CERTCENTRAL_SIMULATOR_API_KEY to it, so later steps read
// `${{ env.CERTCENTRAL_SIMULATOR_URL }}`. Without --detach it runs until SIGINT or SIGTERM.
import { spawn } from 'node:child_process'
import { appendFile, writeFile } from 'node:fs/promises'
import { openSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startSimulator } from '../__tests__/support/simulator.js'

interface Ready {
  url: string
  pid: number
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string', default: 'simulator-api-key' },
    'url-file': { type: 'string' },
    detach: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false }
  }
})

if (values.help) {
  process.stdout.write(
    'Usage: npx tsx scripts/simulator-server.ts [--port N] [--api-key KEY] [--url-file PATH] [--detach]\n'
  )
} else if (values.detach) {
  await detach()
} else {
  await serve()
}

async function serve(): Promise<void> {
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Bad --port: ${values.port}`)
  const apiKey = values['api-key']
  const sim = await startSimulator({ port, apiKey })
  if (values['url-file']) await writeFile(values['url-file'], `${sim.url}\n`)
  if (process.env.GITHUB_ENV) {
    await appendFile(
      process.env.GITHUB_ENV,
      `CERTCENTRAL_SIMULATOR_URL=${sim.url}\nCERTCENTRAL_SIMULATOR_API_KEY=${apiKey}\n`
    )
  }
  process.stdout.write(
    `CertCentral simulator listening (pid ${process.pid})\napi-url: ${sim.url}\n`
  )
  const ready: Ready = { url: sim.url, pid: process.pid }
  // Tells a --detach parent that the server listens; then the IPC channel is let go.
  if (process.send) process.send(ready, () => process.disconnect?.())

  let requests = 0
  const log = setInterval(() => {
    if (sim.requests.length === requests) return
    for (const r of sim.requests.slice(requests)) process.stdout.write(`${r.method} ${r.path}\n`)
    requests = sim.requests.length
  }, 500)
  const stop = (): void => {
    clearInterval(log)
    void sim.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Starts this script again without --detach, in its own process group, and waits for it to listen. */
async function detach(): Promise<void> {
  const args = process.argv.slice(2).filter(arg => arg !== '--detach')
  const logPath = join(tmpdir(), `certcentral-simulator-${process.pid}.log`)
  const logFd = openSync(logPath, 'a')
  // process.execArgv carries tsx's loader, so the child runs this TypeScript file the same way.
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), ...args],
    { detached: true, stdio: ['ignore', logFd, logFd, 'ipc'], windowsHide: true }
  )
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('The simulator did not start within 60 s.')),
      60_000
    )
    child.once('message', message => {
      clearTimeout(timer)
      resolve(message as Ready)
    })
    child.once('error', reject)
    child.once('exit', code => reject(new Error(`The simulator exited with code ${code}.`)))
  }).catch((error: unknown) => {
    process.stderr.write(`See ${logPath}.\n`)
    throw error
  })
  child.removeAllListeners('exit')
  child.unref()
  process.stdout.write(
    `CertCentral simulator listening in the background (pid ${ready.pid}, log ${logPath})\napi-url: ${ready.url}\n`
  )
  // The IPC channel would otherwise keep this process alive.
  process.exit(0)
}
