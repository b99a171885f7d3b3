/**
 * scripts/release.mjs on real git repositories in temp dirs (the script works on its working
 * directory's repository): it tags vX.Y.Z and moves vX to HEAD, pushes both to a bare `origin`,
 * and refuses, with one line and no tag changed, a version package.json does not have, a missing
 * CHANGELOG section, a dirty tree, an existing tag. And the release workflow runs it as documented.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { parse } from 'yaml'
import { REPO, systemNode } from '../helpers/action.js'
import { removeDir, tempDir } from '../helpers/tree.js'

const SCRIPT = path.join(REPO, 'scripts', 'release.mjs')

let base: string
let gitEnv: NodeJS.ProcessEnv

beforeAll(() => {
  base = tempDir('sp-release-')
  // No machine's git configuration applies (an identity, tag.gpgSign, a default branch): only this.
  const config = path.join(base, 'gitconfig')
  fs.writeFileSync(config, '')
  gitEnv = {
    ...process.env, GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Release Test', GIT_AUTHOR_EMAIL: 'release@example.invalid', GIT_COMMITTER_NAME: 'Release Test', GIT_COMMITTER_EMAIL: 'release@example.invalid',
    // git looks for a repository no higher than base (a temp dir inside some checkout stays outside it).
    GIT_CEILING_DIRECTORIES: base
  }
  for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete gitEnv[v]
})
afterAll(() => removeDir(base))

let count = 0
/** A fresh directory under base. */
function fresh(name: string): string {
  const dir = path.join(base, `${name}-${++count}`)
  fs.mkdirSync(dir)
  return dir
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

function release(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(systemNode(), [SCRIPT, ...args], { cwd, env: gitEnv, encoding: 'utf8', timeout: 30000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const changelog = (...versions: string[]): string =>
  ['# Changelog', '', '## [Unreleased]', '', ...versions.flatMap((v) => [`## [${v}] - 2026-12-01`, '', '### Added', '', `- what ${v} brings`, '']), ...versions.map((v) => `[${v}]: https://example.invalid/releases/tag/v${v}`), ''].join('\n')

/** Writes package.json (that version) and CHANGELOG.md (those sections), and commits them. */
function commitVersion(repo: string, version: string, sections: string[] = [version]): string {
  fs.writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify({ name: 'demo', version }, null, 2)}\n`)
  fs.writeFileSync(path.join(repo, 'CHANGELOG.md'), changelog(...sections))
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', `release ${version}`)
  return git(repo, 'rev-parse', 'HEAD')
}

/** A repository at version 1.2.3 with its CHANGELOG section, committed. */
function repoAt(version = '1.2.3', sections: string[] = [version]): string {
  const repo = fresh('repo')
  git(repo, 'init', '-q', '-b', 'main')
  commitVersion(repo, version, sections)
  return repo
}

/** Every tag and the commit it points to (annotated tags peeled). */
function tags(repo: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of git(repo, 'for-each-ref', '--format=%(refname:short) %(objectname) %(*objectname)', 'refs/tags').split('\n').filter(Boolean)) {
    const [name, object, peeled] = line.split(' ')
    out[name] = peeled || object
  }
  return out
}

/** The refusal shape: exit 1, nothing on stdout, exactly one line on stderr. */
function expectRefusal(r: { status: number | null; stdout: string; stderr: string }, message: RegExp): void {
  expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' })
  expect(r.stderr).toMatch(/^release: [^\n]+\n$/)
  expect(r.stderr).toMatch(message)
}

describe('tagging', () => {
  test('creates annotated tags v1.2.3 and v1 on HEAD, and says what it did', () => {
    const repo = repoAt()
    const head = git(repo, 'rev-parse', 'HEAD')
    const r = release(repo, '1.2.3')
    expect(r).toMatchObject({ status: 0, stderr: '' })
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `release: tagged v1.2.3 at ${head.slice(0, 12)} (release 1.2.3)`,
      `release: created v1 at ${head.slice(0, 12)}`,
      'release: not pushed; to publish: git push origin v1.2.3 && git push --force origin v1'
    ])
    expect(tags(repo)).toEqual({ v1: head, 'v1.2.3': head })
    expect(git(repo, 'cat-file', '-t', 'v1.2.3')).toBe('tag')
    expect(git(repo, 'cat-file', '-t', 'v1')).toBe('tag')
  })

  test('a second release, 1.3.0, moves v1 and leaves v1.2.3 where it was', () => {
    const repo = repoAt()
    const first = git(repo, 'rev-parse', 'HEAD')
    expect(release(repo, '1.2.3').status).toBe(0)
    const second = commitVersion(repo, '1.3.0', ['1.3.0', '1.2.3'])
    const r = release(repo, '1.3.0')
    expect(r).toMatchObject({ status: 0, stderr: '' })
    expect(r.stdout).toContain(`release: moved v1 from ${first.slice(0, 12)} to ${second.slice(0, 12)}\n`)
    expect(tags(repo)).toEqual({ v1: second, 'v1.2.3': first, 'v1.3.0': second })
  })

  test('--notes prints the version\'s CHANGELOG section without heading or link definitions, and tags nothing', () => {
    const repo = repoAt('1.3.0', ['1.3.0', '1.2.3'])
    expect(release(repo, '1.3.0', '--notes')).toEqual({ status: 0, stdout: '### Added\n\n- what 1.3.0 brings\n', stderr: '' })
    expect(release(repo, '1.2.3', '--notes')).toEqual({ status: 0, stdout: '### Added\n\n- what 1.2.3 brings\n', stderr: '' })
    expect(tags(repo)).toEqual({})
  })
})

describe('refusals: exit 1, one line, no tag changed', () => {
  test('a version package.json does not have', () => {
    const repo = repoAt('1.2.3', ['1.2.4', '1.2.3'])
    expectRefusal(release(repo, '1.2.4'), /package\.json has version "1\.2\.3", not 1\.2\.4/)
    expect(tags(repo)).toEqual({})
  })

  test('no CHANGELOG section for the version, or an empty one', () => {
    const repo = repoAt('1.2.3', [])
    expectRefusal(release(repo, '1.2.3'), /CHANGELOG\.md has no "## \[1\.2\.3\]" section/)
    fs.writeFileSync(path.join(repo, 'CHANGELOG.md'), '# Changelog\n\n## [1.2.3]\n\n## [1.2.2]\n\n- older\n')
    git(repo, 'commit', '-q', '-am', 'empty section')
    expectRefusal(release(repo, '1.2.3'), /"## \[1\.2\.3\]" section is empty/)
    expect(tags(repo)).toEqual({})
  })

  test('a dirty working tree: a changed file, an untracked one', () => {
    const repo = repoAt()
    fs.appendFileSync(path.join(repo, 'CHANGELOG.md'), '\nmore\n')
    expectRefusal(release(repo, '1.2.3'), /working tree is not clean \(1 changed or untracked path\(s\), first: CHANGELOG\.md\)/)
    git(repo, 'checkout', '--', 'CHANGELOG.md')
    fs.writeFileSync(path.join(repo, 'stray.txt'), 'x')
    expectRefusal(release(repo, '1.2.3'), /not clean .*first: stray\.txt/)
    expect(tags(repo)).toEqual({})
  })

  test('an existing tag: the same version twice; v1 stays where it is', () => {
    const repo = repoAt()
    expect(release(repo, '1.2.3').status).toBe(0)
    const before = tags(repo)
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'later')
    expectRefusal(release(repo, '1.2.3'), /tag v1\.2\.3 already exists \(at [0-9a-f]{12}\)/)
    expect(tags(repo)).toEqual(before)
  })

  test('an older version than one already released (v1 would move back)', () => {
    const repo = repoAt('1.3.0', ['1.3.0'])
    expect(release(repo, '1.3.0').status).toBe(0)
    const before = tags(repo)
    commitVersion(repo, '1.2.4', ['1.2.4'])
    expectRefusal(release(repo, '1.2.4'), /v1\.3\.0 already exists: moving v1 to v1\.2\.4/)
    expect(tags(repo)).toEqual(before)
  })

  test.each([
    ['v1.2.3', /not a release version X\.Y\.Z \(give it without the v: 1\.2\.3\)/],
    ['1.2', /"1\.2" is not a release version/],
    ['01.2.3', /"01\.2\.3" is not a release version/],
    ['1.2.3-rc.1', /no pre-release/]
  ])('not a plain X.Y.Z: %s', (version, message) => {
    const repo = repoAt()
    expectRefusal(release(repo, version), message)
    expect(tags(repo)).toEqual({})
  })

  test('usage errors: no version, an unknown option', () => {
    const repo = repoAt()
    expectRefusal(release(repo), /no version given; usage: /)
    expectRefusal(release(repo, '1.2.3', '--force'), /unknown option --force; usage: /)
    expect(tags(repo)).toEqual({})
  })

  test('outside a git repository', () => {
    const dir = fresh('plain')
    expectRefusal(release(dir, '1.2.3'), /is not inside a git repository/)
  })
})

describe('--push to a bare origin', () => {
  /** A repository at 1.2.3 whose main branch is on a bare origin. */
  function withOrigin(): { repo: string; origin: string } {
    const origin = fresh('origin.git')
    git(origin, 'init', '-q', '--bare')
    const repo = repoAt()
    git(repo, 'remote', 'add', 'origin', origin)
    git(repo, 'push', '-q', 'origin', 'main')
    return { repo, origin }
  }

  test('pushes v1.2.3 and v1; a second release force-moves v1 on origin', () => {
    const { repo, origin } = withOrigin()
    const first = git(repo, 'rev-parse', 'HEAD')
    const r = release(repo, '1.2.3', '--push')
    expect(r).toMatchObject({ status: 0, stderr: '' })
    expect(r.stdout).toMatch(/release: pushed v1\.2\.3 and v1 \(forced\) to origin\n$/)
    expect(tags(origin)).toEqual({ v1: first, 'v1.2.3': first })

    const second = commitVersion(repo, '1.3.0', ['1.3.0', '1.2.3'])
    git(repo, 'push', '-q', 'origin', 'main')
    expect(release(repo, '1.3.0', '--push').status).toBe(0)
    expect(tags(origin)).toEqual({ v1: second, 'v1.2.3': first, 'v1.3.0': second })
    expect(tags(repo)).toEqual(tags(origin))
  })

  test('refuses a tag that exists on origin only', () => {
    const { repo, origin } = withOrigin()
    expect(release(repo, '1.2.3', '--push').status).toBe(0)
    git(repo, 'tag', '-d', 'v1.2.3')
    const before = tags(repo)
    expectRefusal(release(repo, '1.2.3', '--push'), /tag v1\.2\.3 already exists on origin/)
    expect(tags(repo)).toEqual(before)
    expect(Object.keys(tags(origin)).sort()).toEqual(['v1', 'v1.2.3'])
  })

  test('refuses a commit that is on no branch of origin', () => {
    const { repo, origin } = withOrigin()
    commitVersion(repo, '1.2.4', ['1.2.4'])
    expectRefusal(release(repo, '1.2.4', '--push'), /HEAD [0-9a-f]{12} is not on origin\/main: merge it there first/)
    expect(tags(repo)).toEqual({})
    expect(tags(origin)).toEqual({})
  })

  test('a push origin rejects: one line, and the local tags are put back as they were', () => {
    const { repo, origin } = withOrigin()
    expect(release(repo, '1.2.3', '--push').status).toBe(0)
    const second = commitVersion(repo, '1.3.0', ['1.3.0', '1.2.3'])
    git(repo, 'push', '-q', 'origin', 'main')
    const before = tags(repo)
    const hook = path.join(origin, 'hooks', 'pre-receive')
    fs.writeFileSync(hook, '#!/bin/sh\necho "tags are frozen" >&2\nexit 1\n', { mode: 0o755 })
    expectRefusal(release(repo, '1.3.0', '--push'), /git push origin v1\.3\.0 failed: ! \[remote rejected\] v1\.3\.0 -> v1\.3\.0 \(pre-receive hook declined\); the local tags are back as they were/)
    expect(tags(repo)).toEqual(before)
    expect(git(repo, 'cat-file', '-t', 'v1')).toBe('tag')
    expect(tags(origin)).toEqual(before)
    // With the hook gone, the same release goes through.
    fs.rmSync(hook)
    expect(release(repo, '1.3.0', '--push').status).toBe(0)
    expect(tags(origin)).toMatchObject({ v1: second, 'v1.3.0': second })
  })
})

describe('.github/workflows/release.yml', () => {
  interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
  interface Job { 'runs-on': string; container?: string; needs?: string; permissions?: Record<string, string>; steps: Step[] }
  const workflow = parse(fs.readFileSync(path.join(REPO, '.github', 'workflows', 'release.yml'), 'utf8')) as {
    on: { workflow_dispatch: { inputs: Record<string, { required?: boolean }> } }
    permissions: Record<string, string>
    jobs: Record<string, Job>
  }

  test('checks dist/ in node:20-bookworm, then tags, pushes and publishes from a full clone with write access', () => {
    expect(workflow.on.workflow_dispatch.inputs.version.required).toBe(true)
    expect(workflow.permissions).toEqual({ contents: 'read' })
    const check = workflow.jobs['check-dist']
    expect(check.container).toBe('node:20-bookworm')
    const checkRuns = check.steps.map((s) => s.run ?? '')
    expect(checkRuns).toEqual(expect.arrayContaining(['git config --global --add safe.directory "$GITHUB_WORKSPACE"', 'npm ci', 'npm run build']))
    expect(checkRuns.join('\n')).toContain('git status --porcelain -- dist')

    const job = workflow.jobs.release
    expect(job.needs).toBe('check-dist')
    expect(job.permissions).toEqual({ contents: 'write' })
    expect(job.container).toBeUndefined()
    expect(job.steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } })
    const runs = job.steps.map((s) => s.run ?? '')
    const tagging = runs.indexOf('node scripts/release.mjs "$VERSION" --push')
    const publishing = runs.findIndex((r) => r.startsWith('gh release create "v$VERSION"'))
    expect(runs.slice(0, tagging).join('\n')).toMatch(/git config user\.name[\s\S]*git config user\.email/)
    expect(tagging).toBeGreaterThan(0)
    expect(publishing).toBeGreaterThan(tagging)
    expect(job.steps[publishing].env).toEqual({ VERSION: '${{ inputs.version }}', GH_TOKEN: '${{ github.token }}' })
    // The version reaches every script through env, never pasted into it.
    for (const j of Object.values(workflow.jobs)) {
      for (const s of j.steps) {
        expect(s.run ?? '').not.toContain('${{')
        if ((s.run ?? '').includes('$VERSION')) expect(s.env?.VERSION).toBe('${{ inputs.version }}')
      }
    }
  })
})
