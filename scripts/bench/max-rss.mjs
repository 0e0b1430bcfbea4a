// Preloaded (node --import) when /usr/bin/time is missing: writes the process's peak resident
// memory (KiB) to BENCH_RSS_FILE at exit. On Linux that is VmHWM, this program's own high-water
// mark: process.resourceUsage().maxRSS would start from the benchmark's own memory, which a
// forked child inherits (see __tests__/support/peak-memory.mjs).
import { readFileSync, writeFileSync } from 'node:fs'
import process from 'node:process'

function peakKiB() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1])
  } catch {
    // Not Linux: maxRSS is the best there is.
  }
  return process.resourceUsage().maxRSS
}

const file = process.env.BENCH_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(peakKiB())))
