// Each rule in one place, each name meaning one thing, one door to the runner: read from the source
// of src/ itself, so that a second importer of @actions/core, a second module named like another or
// a second exported function of the same name fails here.
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

/** Every module of src/, by its path below src/, with its text. */
function modules(dir = SRC): Map<string, string> {
  const found = new Map<string, string>()
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) for (const [p, t] of modules(path)) found.set(p, t)
    else if (entry.name.endsWith('.ts')) {
      found.set(relative(SRC, path).replaceAll('\\', '/'), readFileSync(path, 'utf8'))
    }
  }
  return found
}

/** The text without comments, so that a module that only names something does not count. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

/** Names that two modules may both export because they are the same thing (none today). */
const SAME_THING: readonly string[] = []

/** Names exported more than once, with the modules that export them. */
export function sharedNames(files: ReadonlyMap<string, string>): Record<string, string[]> {
  const byName = new Map<string, string[]>()
  for (const [path, text] of files) {
    const names = code(text).matchAll(
      /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm
    )
    for (const [, name] of names) byName.set(name!, [...(byName.get(name!) ?? []), path])
  }
  return Object.fromEntries(
    [...byName].filter(([name, paths]) => paths.length > 1 && !SAME_THING.includes(name))
  )
}

describe('src/', () => {
  const files = modules()

  it('has exactly one module that imports @actions/core: the runner', () => {
    const importers = [...files]
      .filter(([, text]) =>
        /from\s+['"]@actions\/core['"]|import\(\s*['"]@actions\/core['"]/.test(code(text))
      )
      .map(([path]) => path)
    expect(importers).toEqual(['runner.ts'])
  })

  it('reads process.env in its entry point only', () => {
    const readers = [...files].filter(([, text]) => /process\.env/.test(code(text))).map(([p]) => p)
    expect(readers).toEqual(['index.ts'])
  })

  it('has no two modules of the same name', () => {
    const seen = new Map<string, string[]>()
    for (const path of files.keys())
      seen.set(basename(path), [...(seen.get(basename(path)) ?? []), path])
    expect([...seen.values()].filter(paths => paths.length > 1)).toEqual([])
  })

  it('exports no name twice: functions, classes, constants and types', () => {
    expect(sharedNames(files)).toEqual({})
  })

  it('finds a name exported twice, and not one only mentioned in a comment', () => {
    const twice = new Map([
      ['a.ts', 'export function oneLine() {}\nexport type Answer = 1'],
      [
        'b/c.ts',
        '// export function describe()\nexport async function oneLine() {}\nexport class Answer {}'
      ],
      ['d.ts', '/** export const x */\nexport interface Quiet {}']
    ])
    expect(sharedNames(twice)).toEqual({ oneLine: ['a.ts', 'b/c.ts'], Answer: ['a.ts', 'b/c.ts'] })
  })

  it('says the 90-day renewal limit in one place', () => {
    const stating = [...files]
      .filter(([, text]) => /\b90\s*\*\s*(?:86_?400_?000|DAY)/.test(code(text)))
      .map(([path]) => path)
    expect(stating).toHaveLength(1)
  })
})
