// The input names in the code, held to action.yml: every input there is read, nothing is read that
// is not there, and the order inputs (what a resumed order ignores, with a note) are those the
// order is read from, learned from its reader rather than kept in a list.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { parseInputs } from '../src/inputs.js'
import { orderInputNames } from '../src/order/read-order.js'
import { NOW } from './fixtures/run-inputs.js'

const ACTION = parseYaml(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, unknown>
}
const DECLARED = Object.keys(ACTION.inputs).sort()

/** The names a reader was asked for. */
function recorder(): { read: (name: string) => string; names: Set<string> } {
  const names = new Set<string>()
  return {
    names,
    read: name => {
      names.add(name)
      return ''
    }
  }
}

describe('the input names kept in the code', () => {
  it('read every input action.yml declares, and no other', async () => {
    const order = recorder()
    await parseInputs(order.read, NOW)
    const resume = recorder()
    await parseInputs(name => (resume.read(name), name === 'order-id' ? '1' : ''), NOW)
    expect([...new Set([...order.names, ...resume.names])].sort()).toEqual(DECLARED)
  })

  it('count as order inputs (ignored when an order is resumed) only what describes the order', async () => {
    const order = await orderInputNames()
    expect(order.filter(name => !DECLARED.includes(name))).toEqual([])
    expect(order).toEqual(expect.arrayContaining(['csr', 'organization-id', 'enable-guest-access']))
    for (const setting of ['api-key', 'order-id', 'product', 'timeout', 'dry-run'])
      expect(order).not.toContain(setting)
  })
})
