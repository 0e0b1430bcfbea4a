// Finds import circles among the modules of src/, type-only imports included: every arrow of the
// module graph should point down, from the story of a run to the leaves it uses.
// `npx tsx scripts/import-cycles.ts` prints each circle and exits 1 when there is one;
// __tests__/imports.test.ts runs the same check.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export type ImportGraph = Map<string, string[]>

/** Every .ts file under `root`, each with the files under `root` it imports or re-exports. */
export function importGraph(root: string): ImportGraph {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith('.ts'))
    .map(file => join(root, file))
  const graph: ImportGraph = new Map()
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest)
    const targets = new Set<string>()
    for (const statement of source.statements) {
      const specifier =
        (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
        statement.moduleSpecifier &&
        ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : undefined
      if (specifier?.startsWith('.')) {
        targets.add(resolve(dirname(file), specifier).replace(/\.js$/, '.ts'))
      }
    }
    graph.set(relative(root, file), [...targets].map(target => relative(root, target)).sort())
  }
  return graph
}

/**
 * The circles a depth-first walk meets, each once, as the files along it from its first file in
 * sorted order. Every graph with a circle yields at least one; files already walked are not walked
 * again, so the check stays linear.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const cycles = new Map<string, string[]>()
  const done = new Set<string>()
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file)
    if (at >= 0) {
      const cycle = path.slice(at)
      const start = cycle.indexOf([...cycle].sort()[0] as string)
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)]
      cycles.set(rotated.join(' -> '), rotated)
      return
    }
    if (done.has(file)) return
    for (const next of graph.get(file) ?? []) visit(next, [...path, file])
    done.add(file)
  }
  for (const file of [...graph.keys()].sort()) visit(file, [])
  return [...cycles.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, cycle]) => cycle)
}

function isMain(): boolean {
  return (
    process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
  )
}

if (isMain()) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../src')
  const cycles = importCycles(importGraph(root))
  for (const cycle of cycles) console.log(`circle: ${[...cycle, cycle[0]].join(' -> ')}`)
  if (cycles.length > 0) process.exitCode = 1
  else console.log('No import circle in src/.')
}
