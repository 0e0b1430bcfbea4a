// The body as printed by dry-run: the card number and CVV are the only secrets a body holds
// (the API key travels in a header, never in the body).
import type { CreditCard, OrderBody } from './types.js'

export const REDACTED = '***REDACTED***'

export type RedactedOrderBody = Omit<OrderBody, 'credit_card'> & {
  credit_card?: Omit<CreditCard, 'number' | 'cvv'> & { number: string; cvv: string }
}

export function redactOrderBody(body: OrderBody): RedactedOrderBody {
  const { credit_card: card, ...rest } = body
  if (card === undefined) return rest
  // Spread over `body`, not `rest`, so credit_card keeps its place in the printed body.
  return { ...body, credit_card: { ...card, number: REDACTED, cvv: REDACTED } }
}
