// A clock for in-process tests of retries, backoff, deadlines and polling: sleeping moves time on
// at once, so a wait of hours runs in milliseconds. Independent of src/ (it only has the same shape
// as the action's Clock), like the rest of the test support.

export interface FakeClock {
  now(): number
  sleep(ms: number): Promise<void>
  random(): number
  /** Every sleep asked for, in order, in ms. */
  readonly slept: number[]
  /** Moves time on without a sleep (time spent elsewhere). */
  advance(ms: number): void
  /** Called at each sleep with its number (1 for the first): the world moves while the action waits. */
  onSleep?: (count: number) => void
}

/** Epoch ms the fake clock starts at: 2026-03-01T12:00:00Z, a day the tests live in. */
export const FAKE_START = Date.parse('2026-03-01T12:00:00Z')

/**
 * `random` is what every call to random() returns (a number), or the values returned in turn
 * (an array, the last one repeated).
 */
export function fakeClock(random: number | number[] = 1, start = FAKE_START): FakeClock {
  let now = start
  const slept: number[] = []
  const randoms = Array.isArray(random) ? [...random] : [random]
  const clock: FakeClock = {
    slept,
    now: () => now,
    random: () => (randoms.length > 1 ? (randoms.shift() as number) : (randoms[0] ?? 1)),
    async sleep(ms) {
      slept.push(ms)
      now += ms
      clock.onSleep?.(slept.length)
      // Yield as a real timer would, so that concurrent work interleaves.
      await new Promise(resolve => setImmediate(resolve))
    },
    advance(ms) {
      now += ms
    }
  }
  return clock
}
