// The situations `npm start -- --scenario NAME` rehearses: each prepares the CertCentral simulator
// (orders placed by an earlier run, a certificate near its end, an order rejected) before the demo
// runs the bundled action once more with the inputs of examples/inputs.yml. Test support only.
import type { Simulator } from '../__tests__/support/simulator.js'

/** What a scenario may do before the run it shows. */
export interface Stage {
  sim: Simulator
  /** Runs the action silently, as an earlier release with the same inputs did. */
  earlierRun: (inputs?: Record<string, string>) => Promise<{ orderId: number }>
}

export interface DemoScenario {
  name: string
  /** One sentence: the situation, and what the run should do about it. */
  about: string
  setup: (stage: Stage) => Promise<void>
}

const DAY_MS = 86_400_000
const dayIn = (days: number): string =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10)

export const SCENARIOS: readonly DemoScenario[] = [
  {
    name: 'first-order',
    about:
      'Nothing ordered yet: the run places the first order (paid) and waits until it is issued.',
    async setup() {}
  },
  {
    name: 'reuse',
    about:
      'An earlier release ordered the certificate and it is issued: the run reuses it and orders nothing.',
    async setup({ earlierRun }) {
      await earlierRun()
    }
  },
  {
    name: 'renewal',
    about:
      'The certificate ends in 20 days, within renew-within (30d): the run renews it (a paid ' +
      'renewal) and succeeds with the current certificate while the renewal is on its way.',
    async setup({ sim, earlierRun }) {
      const { orderId } = await earlierRun()
      sim.setValidTill(orderId, dayIn(20))
      // The renewal waits for DigiCert: it is not issued during this run.
      sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 5, pollsUntilIssued: 5 })
    }
  },
  {
    name: 'pending',
    about:
      'An earlier run placed the order and it is still on its way (pending): the run resumes it, ' +
      'orders nothing, and waits until it is issued (after a few polls).',
    async setup({ sim, earlierRun }) {
      sim.setScenario({ approval: 'after-polls', pollsUntilCertificateId: 2, pollsUntilIssued: 2 })
      await earlierRun({ 'wait-for': 'none' })
    }
  },
  {
    name: 'renewed-elsewhere',
    about:
      'The certificate, 20 days from its end, was renewed in CertCentral by hand: a newer order, ' +
      'issued, that the old one names (is_renewed, renewed_order_id) and that does not carry the ' +
      "certificate's key. A run that follows renewed_order_id uses the newer order and pays nothing.",
    async setup({ sim, earlierRun }) {
      const { orderId } = await earlierRun()
      sim.setValidTill(orderId, dayIn(20))
      const old = sim.orders.find(o => o.id === orderId)
      if (old === undefined) throw new Error(`scenario: no order ${orderId}`)
      const answer = await fetch(`${sim.url}/order/certificate/${old.product}`, {
        method: 'POST',
        headers: { 'X-DC-DEVKEY': sim.apiKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          ...old.body,
          alternative_order_id: undefined,
          renewal_of_order_id: orderId
        })
      })
      const renewed = (await answer.json()) as { id?: number }
      if (answer.status !== 201 || renewed.id === undefined)
        throw new Error(`scenario: the renewal was refused (${answer.status})`)
      sim.issueNow(renewed.id)
    }
  },
  {
    name: 'rejected',
    about:
      'An earlier run placed the order and an administrator rejected it: the run fails naming the ' +
      'order and its status, and orders nothing (replace-ended-order: true would order again).',
    async setup({ sim, earlierRun }) {
      sim.setScenario({ approval: 'needs-approval' })
      const { orderId } = await earlierRun({ 'wait-for': 'none' })
      sim.setStatus(orderId, 'rejected')
    }
  }
]

export const DEFAULT_SCENARIO = 'first-order'

export function scenarioNamed(name: string): DemoScenario {
  const found = SCENARIOS.find(s => s.name === name)
  if (found === undefined) {
    throw new Error(
      `There is no scenario "${name}". Scenarios: ${SCENARIOS.map(s => s.name).join(', ')} ` +
        '(npm start -- --scenario list describes them).'
    )
  }
  return found
}

/** `--scenario list`: each name with its sentence. */
export function scenarioList(): string {
  return SCENARIOS.map(
    s => `${s.name}${s.name === DEFAULT_SCENARIO ? ' (default)' : ''}\n  ${s.about}`
  ).join('\n')
}
