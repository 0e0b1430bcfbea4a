// The benchmark's rows (scripts/bench/report.ts): the settle window's row and its budget, the
// start-up rows naming the shortened window, the reuse counts per wait-for, and the page's note on
// a shared machine.
import { describe, expect, it } from 'vitest'
import { page, rows, table, type Machine, type Results } from '../scripts/bench/report.js'
import type { SettleCost } from '../scripts/bench/settle.js'
import type { Startup } from '../scripts/bench/startup.js'

const settle = (realMs: number, shortenedMs = 300): SettleCost => ({
  runs: 3,
  realMs,
  shortenedMs,
  windowMs: 5_000,
  requests: 5,
  lookupsAfterPost: 2
})

const startup: Startup = {
  node: { version: 'v24.0.0', runtime: true },
  runs: 11,
  medianMs: { baseline: 100, action: 250, floor: 180, noInputs: 220 },
  maxRssKiB: { baseline: 40_960, action: 71_680, floor: 58_368, noInputs: 63_488 },
  memoryRuns: 3,
  actionRequests: 5,
  floorRequests: 5
}

const results = (overrides: Partial<Results> = {}): Results => ({
  startups: [startup],
  settle: settle(5_300),
  distBytes: 900_000,
  distFiles: 6,
  measured: [],
  computedWaitsMs: [],
  goals: [],
  preflight: {
    newOrder: 4,
    newOrderTotal: 9,
    resumed: 0,
    resumedTotal: 1,
    reused: 0,
    reusedTotal: 3,
    reusedIssuedTotal: 4,
    reissue: 0,
    reissueTotal: 4
  },
  ...overrides
})

const row = (list: ReturnType<typeof rows>, start: string) => {
  const found = list.find(r => r.figure.startsWith(start))
  if (!found) throw new Error(`no row starting ${start}`)
  return found
}

describe('bench report', () => {
  it("states the settle window's time and its requests, within the window and 1 s", () => {
    const at = (realMs: number) => row(rows(results({ settle: settle(realMs) })), 'Settle window')
    expect(at(5_300).value).toBe('**+5.000 s** (5300 ms against 300 ms)')
    expect(at(5_300).budget).toBe('≤ 6.000 s (the 5.000 s window + 1 s)')
    expect(at(6_300)).toMatchObject({ pass: true, kind: 'measured' })
    expect(at(6_301).pass).toBe(false)
    expect(at(5_300).beside).toContain('5 requests with either window')
    expect(at(5_300).beside).toContain('2 lookups of the key after it')
  })

  it('says the start-up and memory rows shorten the settle window', () => {
    const list = rows(results())
    expect(row(list, 'Start-up, Node v24.0.0').figure).toContain('settle window shortened to 0')
    expect(row(list, 'Start-up, Node v24.0.0').beside).toContain(
      'a real placing run waits 5 s more'
    )
    expect(row(list, 'Peak resident memory').figure).toContain('settle window shortened to 0')
    expect(row(list, 'Peak resident memory').value).toBe('**+13.0 MiB** (70.0 MiB)')
  })

  it('counts a reuse with each wait-for against its own budget', () => {
    const issued = (total: number) =>
      row(
        rows(results({ preflight: { ...results().preflight, reusedIssuedTotal: total } })),
        'Requests: the same release with `wait-for: issued`'
      )
    expect(issued(4)).toMatchObject({ value: '**4**', budget: '≤ 4', pass: true })
    expect(issued(5).pass).toBe(false)
    expect(row(rows(results()), 'Requests: a later release that reuses').figure).toContain(
      '`wait-for: certificate-id` (the default)'
    )
  })

  it('says when the machine was shared, from the load at the start or the end', () => {
    const machine = (start: number, end: number): Machine => ({
      date: '2026-12-06',
      cpu: 'CPU',
      cpus: 2,
      loadAverage: start,
      loadAverageAtEnd: end,
      memoryMethod: 'time'
    })
    const text = (m: Machine) => page(m, table(rows(results())), results())
    expect(text(machine(0.5, 2))).toContain('load average 0.5 at the start, 2.0 at the end).\n')
    expect(text(machine(0.5, 2))).not.toContain('shared with other work')
    expect(text(machine(2.1, 0.5))).toContain('The machine was shared with other work')
    expect(text(machine(0.5, 2.1))).toContain('The machine was shared with other work')
  })
})
