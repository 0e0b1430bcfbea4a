// The modules of src/ import downwards only: no circle, type-only imports included.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importCycles, importGraph } from '../scripts/import-cycles.js'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

describe('the import graph of src/', () => {
  it('has no circle', () => {
    expect(importCycles(importGraph(SRC))).toEqual([])
  })

  it('is read whole: type-only imports and re-exports count', () => {
    const graph = importGraph(SRC)
    expect(graph.get('main.ts')).toContain('outputs.ts')
    // `import type { Clock }` only.
    expect(graph.get('certcentral/connect.ts')).toContain('clock.ts')
    expect(graph.get('inputs.ts')).toContain('order/findings.ts')
  })

  it('finds each circle once, whatever file it is entered from', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'a.ts']],
      ['c.ts', ['b.ts']],
      ['d.ts', ['a.ts']]
    ])
    expect(importCycles(graph)).toEqual([
      ['a.ts', 'b.ts'],
      ['b.ts', 'c.ts']
    ])
  })
})
