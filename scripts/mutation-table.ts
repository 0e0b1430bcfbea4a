// The table of docs/mutation.md, from StrykerJS's JSON reports: one row per module of src/, and
// the score over all of them. Several reports may be given (runs over parts of src/, all of the
// same commit); a module in two of them counts once, from the last.
//
//   npx tsx scripts/mutation-table.ts [reports/mutation/mutation.json ...]
import { readFileSync } from 'node:fs'

interface Report {
  files: Record<string, { mutants: { status: string }[] }>
}

/** The modules issue 13 holds to at least 80% each; the whole of src/ to at least 85%. */
const TARGETS = new Set(['src/submit.ts', 'src/place.ts', 'src/wait.ts', 'src/outputs.ts'])
const MODULE_TARGET = 80
const OVERALL_TARGET = 85

type Counts = Record<'killed' | 'timeout' | 'survived' | 'noCoverage' | 'ignored', number>
const zero = (): Counts => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0 })
const KEYS: Record<string, keyof Counts | undefined> = {
  Killed: 'killed',
  Timeout: 'timeout',
  Survived: 'survived',
  NoCoverage: 'noCoverage',
  Ignored: 'ignored'
}

/** Detected among those a test could have detected: what Stryker calls the score over all. */
function score(c: Counts): number {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage
  return valid === 0 ? 100 : (100 * (c.killed + c.timeout)) / valid
}

const paths = process.argv.slice(2)
const modules = new Map<string, Counts>()
for (const path of paths.length > 0 ? paths : ['reports/mutation/mutation.json']) {
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const counts = zero()
    for (const { status } of mutants) {
      const key = KEYS[status]
      if (key) counts[key]++
    }
    modules.set(file.replace(/^.*?(src\/)/, '$1'), counts)
  }
}

const total = zero()
const rows = [...modules].sort(([a], [b]) => a.localeCompare(b))
const line = (cells: string[]) => `| ${cells.join(' | ')} |`
console.log(line(['Module', 'Score', 'Killed', 'Timed out', 'Survived', 'No coverage', 'Target']))
console.log(line(['---', '---:', '---:', '---:', '---:', '---:', '---']))
for (const [file, c] of rows) {
  for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += c[key]
  const target = TARGETS.has(file)
    ? `≥ ${MODULE_TARGET}%: ${score(c) >= MODULE_TARGET ? 'met' : 'NOT met'}`
    : ''
  console.log(
    line([
      `\`${file}\``,
      `${score(c).toFixed(2)}%`,
      ...[c.killed, c.timeout, c.survived, c.noCoverage].map(String),
      target
    ])
  )
}
console.log(
  line([
    `**All ${rows.length} modules**`,
    `**${score(total).toFixed(2)}%**`,
    ...[total.killed, total.timeout, total.survived, total.noCoverage].map(n => `**${n}**`),
    `≥ ${OVERALL_TARGET}%: ${score(total) >= OVERALL_TARGET ? 'met' : 'NOT met'}`
  ])
)
console.log(`\nLeft out as static (module-level constants, ignoreStatic): ${total.ignored}.`)
