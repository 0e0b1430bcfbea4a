// `npm run release`: tags the version in package.json as vX.Y.Z and moves the major tag vX to it,
// as actions/typescript-action's release script does, after checking that CHANGELOG.md has a dated
// section for it, that the tag is new, and that main is clean. Tags locally and prints the push
// command; `--push` pushes the tags to origin as well. `--check` only checks.
// dist/ must be the bundle of the commit tagged: CI's check-dist workflow fails otherwise.
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { planRelease } from './release/plan.js'

const ROOT = new URL('../', import.meta.url)
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim()

const pkg = JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8')) as { version: string }
const result = planRelease({
  version: pkg.version,
  changelog: await readFile(new URL('CHANGELOG.md', ROOT), 'utf8'),
  tags: git('tag', '--list').split('\n').filter(Boolean),
  status: git('status', '--porcelain'),
  branch: git('rev-parse', '--abbrev-ref', 'HEAD')
})

if (!result.ok) {
  process.stderr.write(`Not released:\n${result.problems.map(p => `- ${p}`).join('\n')}\n`)
  process.exitCode = 1
} else {
  const { tag, majorTag, notes } = result.plan
  const commit = git('rev-parse', 'HEAD')
  if (process.argv.includes('--check')) {
    process.stdout.write(`Ready: ${tag} and ${majorTag} would point at ${commit}.\n`)
  } else {
    git('tag', '--annotate', tag, '--message', `${tag}\n\n${notes}`)
    // The major tag moves with every release of that major version: -f replaces it.
    git('tag', '--force', '--annotate', majorTag, '--message', `${majorTag}: ${tag}`, `${tag}^{}`)
    // A version tag is never replaced; only the major tag is pushed with --force.
    const pushes = [
      ['push', 'origin', `refs/tags/${tag}`],
      ['push', '--force', 'origin', `refs/tags/${majorTag}`]
    ]
    if (process.argv.includes('--push')) {
      for (const push of pushes) git(...push)
      process.stdout.write(`Pushed ${tag} and ${majorTag} (${commit}).\n`)
    } else {
      process.stdout.write(
        `Tagged ${tag} and ${majorTag} at ${commit}. Publish them with:\n` +
          pushes.map(push => `  git ${push.join(' ')}\n`).join('') +
          `then create the GitHub release for ${tag} with the CHANGELOG section as its notes.\n`
      )
    }
  }
}
