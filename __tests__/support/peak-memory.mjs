// Loaded with `node --import` before the action: at exit, writes the process's peak resident set
// size (KiB, as process.resourceUsage() reports it) to the file named by PEAK_MEMORY_FILE.
import { writeFileSync } from 'node:fs'
import process from 'node:process'

process.on('exit', () => {
  const file = process.env.PEAK_MEMORY_FILE
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS))
})
