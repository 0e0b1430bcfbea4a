// The lists of input names the code keeps by hand, held to action.yml: every input there is read,
// nothing is read that is not there, and ORDER_INPUTS (what a resumed order ignores, with a
// warning) is exactly what the order is read from.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { parseInputs } from '../src/inputs.js'
import { Findings } from '../src/order/findings.js'
import { InputSource } from '../src/order/input-source.js'
import { ORDER_INPUTS, readOrderDraft } from '../src/order/read-order.js'
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

  it('list as ORDER_INPUTS exactly the inputs the order is read from', async () => {
    const { read, names } = recorder()
    const findings = new Findings()
    await readOrderDraft(new InputSource(read, findings), findings, {})
    expect([...names].sort()).toEqual([...ORDER_INPUTS].sort())
  })
})
