// Loaded with `node --import` before the action: at exit, writes the process's peak resident set
// size (KiB) to the file named by PEAK_MEMORY_FILE. On Linux that is VmHWM, the high-water mark of
// this program's own memory: process.resourceUsage().maxRSS would also count the memory of the
// process that started it (a forked child starts with its parent's high-water mark, which exec
// keeps), so a test runner of 130 MiB would make every action seem to use 130 MiB.
import { readFileSync, writeFileSync } from 'node:fs'
import process from 'node:process'

function peakKiB() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1])
  } catch {
    // Not Linux: the parent's share is then the platform's to explain.
  }
  return process.resourceUsage().maxRSS
}

process.on('exit', () => {
  const file = process.env.PEAK_MEMORY_FILE
  if (file) writeFileSync(file, String(peakKiB()))
})
