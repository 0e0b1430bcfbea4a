// Preloaded (node --import) when /usr/bin/time is missing: writes the process's peak resident
// memory (process.resourceUsage().maxRSS, KiB) to BENCH_RSS_FILE at exit.
import { writeFileSync } from 'node:fs'
import process from 'node:process'

const file = process.env.BENCH_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
