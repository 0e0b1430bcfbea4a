// What `npm run release` would do, decided from the facts alone: the version in package.json, the
// CHANGELOG, the tags that exist and the state of the working tree. No git here: see release.ts.

export interface ReleaseFacts {
  /** package.json's version. */
  version: string
  changelog: string
  /** Tags that exist already, e.g. ['v1.0.0', 'v1']. */
  tags: string[]
  /** `git status --porcelain` output: empty when the tree is clean. */
  status: string
  branch: string
}

export interface ReleasePlan {
  /** vX.Y.Z, created on HEAD. */
  tag: string
  /** vX, created or moved to HEAD. */
  majorTag: string
  /** The CHANGELOG section of the version, for the tag's message. */
  notes: string
}

export type PlanResult = { ok: true; plan: ReleasePlan } | { ok: false; problems: string[] }

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/

/** The body of `## [X.Y.Z] - YYYY-MM-DD`, up to the next `## ` heading; undefined when absent. */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.split(/\r?\n/)
  const heading = new RegExp(
    `^## \\[${version.replaceAll('.', '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}\\s*$`
  )
  const start = lines.findIndex(line => heading.test(line))
  if (start === -1) return undefined
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .filter(line => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim()
}

export function planRelease(facts: ReleaseFacts): PlanResult {
  const problems: string[] = []
  const match = SEMVER.exec(facts.version)
  if (!match) {
    problems.push(`package.json's version ${facts.version} is not X.Y.Z (no pre-release tags)`)
    return { ok: false, problems }
  }
  const tag = `v${facts.version}`
  const majorTag = `v${match[1]}`
  if (match[1] === '0')
    problems.push('a 0.Y.Z version has no stable major tag to move; release 1.0.0 or later')
  if (facts.tags.includes(tag)) {
    problems.push(
      `${tag} exists already: raise the version in package.json (npm version --no-git-tag-version patch|minor|major)`
    )
  }
  const notes = changelogSection(facts.changelog, facts.version)
  if (notes === undefined) {
    problems.push(
      `CHANGELOG.md has no "## [${facts.version}] - YYYY-MM-DD" section: rename "## [Unreleased]" to it (keeping an empty Unreleased above)`
    )
  } else if (notes === '') {
    problems.push(`CHANGELOG.md's section for ${facts.version} is empty: say what changed`)
  }
  if (
    !new RegExp(`^\\[${facts.version.replaceAll('.', '\\.')}\\]: \\S+`, 'm').test(facts.changelog)
  ) {
    problems.push(
      `CHANGELOG.md has no link for [${facts.version}] at its end (e.g. .../releases/tag/${tag})`
    )
  }
  if (facts.status.trim() !== '')
    problems.push('the working tree has changes: commit or stash them first')
  if (facts.branch !== 'main') problems.push(`releases are tagged on main, not on ${facts.branch}`)
  return problems.length > 0 || notes === undefined
    ? { ok: false, problems }
    : { ok: true, plan: { tag, majorTag, notes } }
}
