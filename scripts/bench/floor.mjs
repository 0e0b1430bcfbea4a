// The floor for start-up: the same requests as an immediate-approval run of the action (the
// alternative-order-ID lookup, the order POST with the action's body, the lookups after it that
// settle a race, FLOOR_LOOKUPS_AFTER_POST of them, one order-info GET) and the outputs written,
// with node:http and nothing else. Not a client: no retries, no validation, no settle window.
import { request } from 'node:http'
import { appendFileSync } from 'node:fs'
import process, { env } from 'node:process'

const apiUrl = env['INPUT_API-URL']
const apiKey = env['INPUT_API-KEY']
// The body and path the action sent, captured by the benchmark from a run of the action.
const body = JSON.parse(env.FLOOR_ORDER_BODY)
body.alternative_order_id = `floor${env.GITHUB_RUN_ID}`

function call(method, path, payload) {
  return new Promise((resolve, reject) => {
    const text = payload === undefined ? undefined : JSON.stringify(payload)
    const req = request(
      apiUrl + path,
      {
        method,
        headers: {
          'X-DC-DEVKEY': apiKey,
          Accept: 'application/json',
          ...(text !== undefined && { 'Content-Type': 'application/json' })
        }
      },
      res => {
        let answer = ''
        res.setEncoding('utf8')
        res.on('data', chunk => (answer += chunk))
        res.on('end', () =>
          res.statusCode >= 200 && res.statusCode < 300
            ? resolve(JSON.parse(answer))
            : reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${answer}`))
        )
      }
    )
    req.on('error', reject)
    req.end(text)
  })
}

try {
  await call('GET', `/order/alternate/${encodeURIComponent(body.alternative_order_id)}`)
  const placed = await call('POST', env.FLOOR_ORDER_PATH, body)
  for (let i = 0; i < Number(env.FLOOR_LOOKUPS_AFTER_POST ?? 0); i++)
    await call('GET', `/order/alternate/${encodeURIComponent(body.alternative_order_id)}`)
  const info = await call('GET', `/order/certificate/${placed.id}`)
  const output = (name, value) => `${name}<<EOF\n${value}\nEOF\n`
  appendFileSync(
    env.GITHUB_OUTPUT,
    output('order-id', placed.id) + output('certificate-id', info.certificate.id)
  )
} catch (error) {
  process.stderr.write(`${error.message}\n`)
  process.exitCode = 1
}
