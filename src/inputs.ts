// Action inputs -> one typed, validated object. Every problem is collected, none thrown:
// the caller reports them all at once and sends nothing.
// CONTRACT (implementation pending): see parseInputs below.
import type { OrderBody, Product, ProvisioningMethod } from './order/types.js'

export const WAIT_FOR = ['certificate-id', 'issued', 'none'] as const
export type WaitFor = (typeof WAIT_FOR)[number]

/** How the action runs, whatever it orders. */
export interface Settings {
  apiKey: string
  /** Without a trailing slash. */
  apiUrl: string
  product: Product
  provisioningMethod: ProvisioningMethod
  waitFor: WaitFor
  timeoutMs: number
  pollIntervalMs: number
  dryRun: boolean
}

/** Either resume an order by ID (nothing is sent but GETs), or place the order in `body`. */
export type Plan =
  | { kind: 'resume'; orderId: number }
  | {
      kind: 'order'
      /** alternative_order_id is set only when the user gave `alternative-order-id`. */
      body: OrderBody
    }

export interface ParsedInputs {
  settings: Settings
  plan: Plan
}

/** A problem or a warning, tied to the input it came from. `message` says what would fix it. */
export interface Finding {
  input: string
  message: string
}

export type ParseResult =
  | { ok: true; inputs: ParsedInputs; warnings: Finding[]; notes: string[] }
  | { ok: false; problems: Finding[]; warnings: Finding[] }

/** Reads one input by its action.yml name, trimmed, '' when not given (as core.getInput does). */
export type InputReader = (name: string) => string
