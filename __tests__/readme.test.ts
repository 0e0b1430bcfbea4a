import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderReadme } from '../scripts/action-tables.js'

const root = fileURLToPath(new URL('../', import.meta.url))

describe('the README', () => {
  it('lists exactly the inputs and outputs of action.yml (run `npm run docs` to update)', async () => {
    const { current, wanted } = await renderReadme(new URL('../', import.meta.url))
    expect(current).toBe(wanted)
  })
})

/** Markdown text outside fenced code blocks and inline code. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '')
}

/** GitHub's anchors of a file's headings: lower case, punctuation dropped, spaces as `-`. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  const headings = text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)
  for (const [, heading = ''] of headings) {
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    anchors.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return anchors
}

/** Every relative link of a file that does not resolve: a missing file or a missing anchor. */
function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const broken: string[] = []
  for (const [, target = ''] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue
    const [path = '', anchor] = target.split('#', 2)
    const resolved = path === '' ? file : join(dirname(file), path)
    if (!existsSync(resolved)) {
      broken.push(`${target} (no file ${relative(root, resolved)})`)
      continue
    }
    if (anchor !== undefined && resolved.endsWith('.md')) {
      if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push(`${target} (no heading #${anchor} in ${relative(root, resolved)})`)
      }
    }
  }
  return broken
}

describe('links in the documentation', () => {
  const files = [
    'README.md',
    'CONTRIBUTING.md',
    'CHANGELOG.md',
    'SECURITY.md',
    ...readdirSync(join(root, 'docs'))
      .filter(name => name.endsWith('.md'))
      .map(name => `docs/${name}`)
  ]
  it.each(files)('%s: every relative link and #anchor resolves', file => {
    expect(brokenLinks(join(root, file))).toEqual([])
  })

  it('the checker finds a missing anchor and a missing file, and reads anchors as GitHub does', () => {
    const anchors = anchorsOf(
      '# A title\n## Pre-flight: can this order be issued soon?\n## A title\n'
    )
    expect([...anchors]).toEqual([
      'a-title',
      'pre-flight-can-this-order-be-issued-soon',
      'a-title-1'
    ])
    const dir = mkdtempSync(join(tmpdir(), 'links-'))
    try {
      const file = join(dir, 'page.md')
      writeFileSync(
        file,
        '# Page\n[ok](#page) [gone](#nowhere) [file](other.md) [web](https://example.com/#x)\n' +
          '`[code](#not-a-link)`\n```\n[fenced](#not-a-link)\n```\n'
      )
      expect(brokenLinks(file)).toEqual([
        `#nowhere (no heading #nowhere in ${relative(root, file)})`,
        `other.md (no file ${relative(root, join(dir, 'other.md'))})`
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
