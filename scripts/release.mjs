// Tags a release of the git repository in the working directory, the way actions/typescript-action
// does: an annotated tag vX.Y.Z, and the major tag vX (what workflows pin as @vX) moved to the
// same commit.
//
//   node scripts/release.mjs X.Y.Z           check, then tag locally
//   node scripts/release.mjs X.Y.Z --push    check, tag, then push vX.Y.Z and force-push vX to origin
//   node scripts/release.mjs X.Y.Z --notes   print CHANGELOG.md's ## [X.Y.Z] section (release notes)
//
// Before any tag is made it checks that X.Y.Z is a plain semantic version, that package.json has
// that version, that CHANGELOG.md has a non-empty `## [X.Y.Z]` section, that the working tree is
// clean, that tag vX.Y.Z does not exist (nor, with --push, on origin), that no newer vX.*.* release
// exists (vX would move back to older code), and with --push that HEAD is on origin's release
// branch ($RELEASE_BRANCH, else origin's default branch, else main).
// A refusal is one line on stderr and exit status 1, with no tag changed.
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'

const USAGE = 'usage: node scripts/release.mjs X.Y.Z [--push | --notes]'

class Refusal extends Error {}
const refuse = (message) => {
  throw new Refusal(message)
}

/** Runs git in the working directory; returns trimmed stdout, or refuses with git's own error line. */
function git(args, { allowFail = false, raw = false } = {}) {
  const r = spawnSync('git', args, { encoding: 'utf8' })
  if (r.error) refuse(`cannot run git: ${r.error.message}`)
  if (r.status !== 0) {
    if (allowFail) return null
    refuse(`git ${args.join(' ')} failed: ${gitError(r.stderr)}`)
  }
  return raw ? r.stdout : r.stdout.trim()
}

/** The branch releases come from: $RELEASE_BRANCH, else origin's default branch, else main. */
function releaseBranch() {
  if (process.env.RELEASE_BRANCH) return process.env.RELEASE_BRANCH
  const head = git(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], { allowFail: true })
  return head ? head.replace(/^refs\/remotes\/origin\//, '') : 'main'
}

/** The line of git's stderr that says what went wrong (a rejected ref, fatal:/error:, else the last one). */
function gitError(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  return lines.find((l) => l.startsWith('! ')) ?? lines.find((l) => /^(fatal|error):/.test(l)) ?? lines.at(-1) ?? 'no message'
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

function parseVersion(text) {
  const m = SEMVER.exec(text)
  return m ? m.slice(1, 4).map(Number) : null
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

function parseArgs(argv) {
  const flags = new Set()
  const positional = []
  for (const a of argv) {
    if (a === '--push' || a === '--notes') flags.add(a)
    else if (a.startsWith('-')) refuse(`unknown option ${a}; ${USAGE}`)
    else positional.push(a)
  }
  if (positional.length !== 1) refuse(positional.length === 0 ? `no version given; ${USAGE}` : `one version only, got ${positional.join(' ')}; ${USAGE}`)
  if (flags.size > 1) refuse(`--push and --notes do not go together; ${USAGE}`)
  const version = positional[0]
  if (!parseVersion(version)) {
    const hint = /^v\d/.test(version) ? ` (give it without the v: ${version.slice(1)})` : ' (MAJOR.MINOR.PATCH, numbers without leading zeros, no pre-release or build suffix)'
    refuse(`${JSON.stringify(version)} is not a release version X.Y.Z${hint}`)
  }
  return { version, push: flags.has('--push'), notes: flags.has('--notes') }
}

/** The body of CHANGELOG.md's `## [version]` section, without its heading or trailing link definitions. */
function changelogSection(top, version) {
  const file = path.join(top, 'CHANGELOG.md')
  if (!fs.existsSync(file)) refuse(`CHANGELOG.md not found in ${top}`)
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/)
  const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\](\\s|$)`)
  const start = lines.findIndex((l) => heading.test(l))
  if (start < 0) refuse(`CHANGELOG.md has no "## [${version}]" section: move the Unreleased entries into one, and commit`)
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l))
  if (end < 0) end = lines.length
  const body = lines.slice(start + 1, end)
  // Keep a Changelog ends with link definitions ([1.0.0]: https://...) after the last section.
  while (body.length > 0 && (body.at(-1).trim() === '' || /^\[[^\]]+\]:\s*\S+/.test(body.at(-1)))) body.pop()
  while (body.length > 0 && body[0].trim() === '') body.shift()
  if (body.length === 0) refuse(`CHANGELOG.md's "## [${version}]" section is empty: say what the release changes`)
  return body.join('\n')
}

function main() {
  const { version, push, notes } = parseArgs(process.argv.slice(2))
  const top = git(['rev-parse', '--show-toplevel'], { allowFail: true })
  if (top === null) refuse(`${process.cwd()} is not inside a git repository`)

  if (notes) {
    process.stdout.write(`${changelogSection(top, version)}\n`)
    return
  }

  const pkgFile = path.join(top, 'package.json')
  if (!fs.existsSync(pkgFile)) refuse(`package.json not found in ${top}`)
  let pkgVersion
  try {
    pkgVersion = JSON.parse(fs.readFileSync(pkgFile, 'utf8')).version
  } catch (err) {
    refuse(`package.json cannot be read: ${err.message.split('\n')[0]}`)
  }
  if (pkgVersion !== version) refuse(`package.json has version ${JSON.stringify(pkgVersion ?? null)}, not ${version}: set it (and rebuild dist/), commit, then release`)
  changelogSection(top, version)

  const dirty = git(['status', '--porcelain'], { raw: true }).split('\n').filter(Boolean)
  if (dirty.length > 0) refuse(`the working tree is not clean (${dirty.length} changed or untracked path(s), first: ${dirty[0].slice(3)}): commit or stash first`)

  const head = git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allowFail: true })
  if (!head) refuse('HEAD has no commit to tag')
  const short = (rev) => rev.slice(0, 12)

  const tag = `v${version}`
  const major = `v${parseVersion(version)[0]}`
  if (git(['show-ref', '--verify', '--quiet', `refs/tags/${tag}`], { allowFail: true }) !== null) {
    const at = git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], { allowFail: true })
    refuse(`tag ${tag} already exists${at ? ` (at ${short(at)})` : ''}: a released version is never re-tagged; release a new version`)
  }
  const newer = git(['tag', '--list', `${major}.*`])
    .split('\n')
    .map((t) => ({ t, v: parseVersion(t.slice(1)) }))
    .filter(({ v }) => v !== null && compare(v, parseVersion(version)) > 0)
    .sort((a, b) => compare(b.v, a.v))
  if (newer.length > 0) refuse(`${newer[0].t} already exists: moving ${major} to ${tag} would take every workflow on @${major} back to older code`)

  if (push) {
    if (git(['remote', 'get-url', 'origin'], { allowFail: true }) === null) refuse('--push needs a remote named origin')
    const remote = git(['ls-remote', '--tags', 'origin', `refs/tags/${tag}`])
    if (remote !== '') refuse(`tag ${tag} already exists on origin (at ${short(remote.split(/\s/)[0])}): a released version is never re-tagged; fetch the tags, then release a new version`)
    // Only what reached the release branch is released: @vX must never point at unmerged code.
    const branch = releaseBranch()
    if (git(['merge-base', '--is-ancestor', head, `refs/remotes/origin/${branch}`], { allowFail: true }) === null) {
      refuse(`HEAD ${short(head)} is not on origin/${branch}: merge it there first (and fetch), so that @${major} only ever points at released code`)
    }
  }

  // Tag: vX.Y.Z first, then vX; if vX cannot be made, vX.Y.Z is taken back.
  const oldMajorObject = git(['rev-parse', '--verify', '--quiet', `refs/tags/${major}`], { allowFail: true })
  const oldMajor = oldMajorObject ? git(['rev-parse', `${oldMajorObject}^{commit}`]) : null
  git(['tag', '--annotate', '--message', tag, tag, head])
  try {
    git(['tag', '--force', '--annotate', '--message', `${major}: ${tag}`, major, head])
  } catch (err) {
    git(['tag', '--delete', tag], { allowFail: true })
    throw err
  }
  const subject = git(['log', '-1', '--format=%s', head])
  // Said once the tags stand: after the pushes with --push (a rejected push takes them back).
  const done = [
    `release: tagged ${tag} at ${short(head)} (${subject})`,
    oldMajor === null ? `release: created ${major} at ${short(head)}`
    : oldMajor === head ? `release: ${major} re-tagged at ${short(head)} (it was already on this commit)`
    : `release: moved ${major} from ${short(oldMajor)} to ${short(head)}`
  ]

  if (!push) {
    console.log([...done, `release: not pushed; to publish: git push origin ${tag} && git push --force origin ${major}`].join('\n'))
    return
  }
  const pushed = spawnSync('git', ['push', 'origin', `refs/tags/${tag}`], { encoding: 'utf8' })
  if (pushed.status !== 0) {
    // Nothing reached origin: put the local tags back, so the same release can be run again.
    git(['tag', '--delete', tag], { allowFail: true })
    if (oldMajorObject) git(['update-ref', `refs/tags/${major}`, oldMajorObject], { allowFail: true })
    else git(['tag', '--delete', major], { allowFail: true })
    refuse(`git push origin ${tag} failed: ${gitError(pushed.stderr ?? '')}; the local tags are back as they were`)
  }
  console.log(done.join('\n'))
  const moved = spawnSync('git', ['push', '--force', 'origin', `refs/tags/${major}`], { encoding: 'utf8' })
  if (moved.status !== 0) refuse(`pushed ${tag}, but git push --force origin ${major} failed: ${gitError(moved.stderr ?? '')}; run that command again`)
  console.log(`release: pushed ${tag} and ${major} (forced) to origin`)
}

try {
  main()
} catch (err) {
  if (!(err instanceof Refusal)) throw err
  console.error(`release: ${err.message}`)
  process.exit(1)
}
