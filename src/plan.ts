// What a run would do, found by reads only: the chain's base key, the survey of its generations
// and the decision on them. The real run (place.ts) and the dry run (dry-run.ts) both start here,
// so that a dry run tells exactly what a real run decides; the effects (withdrawing duplicates,
// the POST, the reissue) are the real run's alone.
import type { ParsedInputs, Settings } from './inputs.js'
import type { Api, OrderInfo } from './certcentral/orders.js'
import { decide, type Decision, type Generation } from './chain/decide.js'
import { defaultBaseKey } from './chain/identity.js'
import { survey } from './chain/survey.js'
import type { OrderBody } from './order/types.js'

export type OrderPlan = Extract<ParsedInputs['plan'], { kind: 'order' }>

/** What the lookups found and what a run decides on them. */
export interface Planned {
  baseKey: string
  /** The newest generation with orders: a real run withdraws the duplicates listed under it. */
  newest: Generation | undefined
  decision: Decision<OrderInfo>
}

/**
 * The chain's base key: the user's alternative-order-id, or one derived from what makes the
 * certificate. `say` hears why the key falls back to the repository's name, when it does.
 */
export function baseKeyOf(
  plan: OrderPlan,
  settings: Settings,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void = () => {}
): string {
  if (plan.body.alternative_order_id !== undefined) return plan.body.alternative_order_id
  const { key, fallback } = defaultBaseKey({
    repositoryId: env.GITHUB_REPOSITORY_ID,
    repository: env.GITHUB_REPOSITORY,
    product: settings.product,
    provisioningMethod: settings.provisioningMethod,
    organization: plan.body.organization
  })
  if (fallback !== undefined) say(fallback)
  return key
}

/** The body of the first order of the chain, as a dry run without an api-key shows it. */
export function firstOrderBody(
  plan: OrderPlan,
  settings: Settings,
  env: NodeJS.ProcessEnv,
  say?: (line: string) => void
): OrderBody & { alternative_order_id: string } {
  return { ...plan.body, alternative_order_id: baseKeyOf(plan, settings, env, say) }
}

/** The survey (GETs only) and the decision on it; nothing is sent that changes anything. */
export async function planOrder(
  api: Api,
  plan: OrderPlan,
  settings: Settings,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
  now: () => number
): Promise<Planned> {
  const baseKey = baseKeyOf(plan, settings, env, say)
  const found = await survey(api, baseKey, settings.product, plan.publicKeySha256 !== undefined)
  const newest = found.generations.findLast(g => g.orders.length > 0)
  const policy = { ...settings, publicKeySha256: plan.publicKeySha256 }
  const decision = decide(found.generations, found.read, policy, now(), found.renewalOf)
  return { baseKey, newest, decision }
}
