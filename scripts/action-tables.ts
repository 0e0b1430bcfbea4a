// The README's inputs and outputs tables, made from action.yml so they cannot drift from it.
// `npm run docs` rewrites them between their markers; a test fails when they are out of date.
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
import { parse } from 'yaml'

interface ActionYaml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

const cell = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

export function inputsTable(action: ActionYaml): string {
  const rows = Object.entries(action.inputs).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${input.default === undefined ? '' : `\`${input.default}\``} | ${cell(input.description)} |`
  )
  return ['| Input | Required | Default | Description |', '|---|---|---|---|', ...rows].join('\n')
}

export function outputsTable(action: ActionYaml): string {
  const rows = Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`
  )
  return ['| Output | Description |', '|---|---|', ...rows].join('\n')
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceBetween(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} … ${end} markers`)
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`
}

export async function renderReadme(root: URL): Promise<{ current: string; wanted: string }> {
  const action = parse(await readFile(new URL('action.yml', root), 'utf8')) as ActionYaml
  const current = await readFile(new URL('README.md', root), 'utf8')
  const withTables = replaceBetween(
    replaceBetween(current, 'inputs', inputsTable(action)),
    'outputs',
    outputsTable(action)
  )
  // Formatted as `prettier --check` wants it, so the format check and this agree.
  const readme = fileURLToPath(new URL('README.md', root))
  const wanted = await format(withTables, { ...(await resolveConfig(readme)), filepath: readme })
  return { current, wanted }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('../', import.meta.url)
  const { current, wanted } = await renderReadme(root)
  if (current !== wanted) await writeFile(new URL('README.md', root), wanted)
  process.stdout.write(
    current === wanted ? 'README.md tables are current.\n' : 'README.md tables updated.\n'
  )
}
