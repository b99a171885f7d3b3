/**
 * The operator CLI, driven as a person would: through pipes (no terminal) and in a real
 * pseudo-terminal with tmux (answering the prompts).
 */
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { Writable, Readable } from 'node:stream'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, tempDir } from '../helpers/tree.js'
import { CLI, CliProcess, Tmux, fakeDocker, runCli } from '../helpers/cli.js'
import { stopAfter, stoppedMidPurge, thaw } from '../helpers/signals.js'
import { REPO } from '../helpers/action.js'
import { HELP } from '../../src/cli/args.js'
import { cliMain } from '../../src/cli/command.js'
import { run } from '../../src/engine/run.js'
import { fail } from '../../src/common/errors.js'
import { dockerUnavailable } from '../helpers/docker.js'

const rootOnly = process.getuid?.() === 0 ? test : test.skip

const ESC = '\x1b['
let base: string
let root: string
const sessions: Tmux[] = []
beforeEach(() => {
  base = tempDir('sp-cli-')
  root = path.join(base, 'mt5-env')
  fs.mkdirSync(root)
  makeTree(root, MT5_TREE)
})
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill()
  removeDir(base)
})
const tmux = (args: string[], env: Record<string, string> = {}, files: { stdoutFile?: string; stderrFile?: string } = {}): Tmux => {
  const t = new Tmux(args, { cwd: base, env: { HOME: base, ...env }, ...files })
  sessions.push(t)
  return t
}
const protectedOnly = (dir = root): [string, unknown][] => [...snapshot(dir)].filter(([k]) => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(k))

/**
 * A root with `files` files under logs/ besides the MT5 tree, for runs long enough to watch or
 * interrupt; on tmpfs when there is one (creating files on this disk is slow and erratic).
 */
function bigRoot(files: number): string {
  let dir: string
  try {
    dir = fs.mkdtempSync('/dev/shm/sp-cli-')
  } catch {
    dir = tempDir('sp-cli-big-')
  }
  bigDirs.push(dir)
  const r = path.join(dir, 'mt5-env')
  fs.mkdirSync(r)
  makeTree(r, MT5_TREE)
  for (let d = 0; d * 1000 < files; d++) {
    const sub = path.join(r, 'logs', 'bulk', `d${d}`)
    fs.mkdirSync(sub, { recursive: true })
    for (let i = 0; i < Math.min(1000, files - d * 1000); i++) fs.writeFileSync(path.join(sub, `f${i}.log`), 'x')
  }
  return r
}
const bigDirs: string[] = []
afterEach(() => {
  for (const d of bigDirs.splice(0)) removeDir(d)
})

const LOCK = '.safe-purge.lock'
const COMPOSE = 'services:\n  app:\n    image: safe-purge-test:latest\n'

describe('without a terminal', () => {
  test('the built CLI exists, is executable and starts with a shebang', () => {
    expect(fs.readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(fs.statSync(CLI).mode & 0o111).not.toBe(0)
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'))
    expect(pkg.bin['safe-purge']).toBe('dist/cli/index.js')
  })

  test('--help lists every flag and the exit statuses', () => {
    const r = runCli(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(HELP)
    const flags = [
      '--root', '--dry-run', '--no-dry-run', '--list', '--force', '-y', '--full', '--no-full', '--verbose', '--json', '--ephemeral', '--protected', '--config', '--docker',
      '--compose-file', '--compose-project', '--protected-volumes', '--docker-host', '--docker-timeout', '--services', '--keep-running', '--remove-target-dirs',
      '--privileged', '--privileged-image', '--help', '--version'
    ]
    for (const flag of flags) {
      expect(r.stdout).toMatch(new RegExp(`^  (-\\w, )?${flag}\\b`, 'm'))
    }
    // The older spellings are still accepted, and --help says which name each stands for.
    expect(r.stdout.replace(/\n/g, ' ')).toContain('Older spellings, still accepted: --protect for --protected, --project-name for --compose-project, --protected-volume for --protected-volumes, --service for --services.')
    expect(r.stdout).toMatch(/Exit status: 0 .* 1 .* 2 /s)
    expect(r.stdout).toMatch(/SIGTERM stops at the next safe point, verifies .* a third quits at\s+once/s)
    expect(r.stdout.split('\n').every((l) => l.length <= 100)).toBe(true)
  })

  test('a bad value in the config file names its key and the file, never a flag the person did not type', () => {
    fs.writeFileSync(path.join(root, '.safe-purge.yml'), 'ephemeral:\n  - models\ndocker-timeout: 0\n')
    const r = runCli(['-y', '--docker', 'off', '--docker-timeout', '5'], { cwd: root })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^safe-purge: config \.safe-purge\.yml: docker-timeout must be a number of seconds greater than 0/)
    fs.writeFileSync(path.join(root, '.safe-purge.yml'), 'ephemeral:\n  - models\n')
    const before = snapshot(root)
    const fromFile = runCli(['-y', '--docker', 'off'], { cwd: root })
    expect(fromFile.status).toBe(2)
    expect(fromFile.stderr).toMatch(/^safe-purge: ephemeral \(in config file \.safe-purge\.yml\) entry "models" is protected: remove it from ephemeral \(in config file \.safe-purge\.yml\)/)
    expect(fromFile.stderr).not.toContain('--ephemeral')
    // The flag overrides the file: then the flag is named.
    const fromFlag = runCli(['-y', '--docker', 'off', '--ephemeral', 'config'], { cwd: root })
    expect(fromFlag.stderr).toMatch(/^safe-purge: --ephemeral entry "config" is protected: remove it from --ephemeral /)
    expect(snapshot(root)).toEqual(before)
  })

  test('--list on a dry run: every entry directly inside a target that would go, what stays, bounded with counts', () => {
    const tree = tempDir('sp-list-')
    try {
      makeTree(tree, {
        'models/w.json': 'w', '.docker-compose-state': 'st', 'data/redis/dump.rdb': 'r', 'logs/config/keep.yaml': 'k', 'logs/app/a.log': 'aaaa', 'logs/app/deep/b.log': 'bb',
        ...Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`logs/f${String(i).padStart(3, '0')}.log`, 'x'.repeat(i)]))
      })
      const before = snapshot(tree)
      const text = runCli(['--root', tree, '--dry-run', '--list', '--docker', 'off'])
      expect(text.status).toBe(0)
      expect(text.stdout).toContain('listing (- would go; ~ would be emptied, it stays for what stays inside; = stays):\n  .docker-compose-state:\n')
      expect(text.stdout).toContain('\n  logs:\n    - logs/app/ (2 file(s), 6 B, 3 entries inside)\n    - logs/f000.log (0 B)\n')
      expect(text.stdout).toContain('    - logs/f198.log (198 B)\n    - ... and 51 more entries: 51 file(s), ')
      expect(text.stdout).toContain('    = logs/config (protected)\n')
      // A file target is its own entry.
      expect(text.stdout).toContain('  .docker-compose-state:\n    - .docker-compose-state (2 B)\n')
      // With remove-target-dirs, the target directory itself goes too.
      const removing = runCli(['--root', tree, '--dry-run', '--list', '--docker', 'off', '--remove-target-dirs']).stdout
      expect(removing).toContain('  data/redis:\n    - data/redis/ (the directory itself, once emptied)\n    - data/redis/dump.rdb (1 B)\n')
      // ... but not one that holds a kept entry: logs/ stays for logs/config.
      expect(removing).not.toContain('- logs/ (the directory itself')
      expect(text.stdout).not.toContain('logs/f199.log')
      // The JSON report holds the same listing; --verbose on a dry run lists too.
      const json = JSON.parse(runCli(['--root', tree, '--dry-run', '--list', '--docker', 'off', '--json']).stdout)
      const logs = json.targets.find((t: { path: string }) => t.path === 'logs')
      expect(logs.listing.entries).toHaveLength(200)
      expect(logs.listing.more).toEqual({ entries: 51, files: 51, bytes: Array.from({ length: 51 }, (_, i) => 199 + i).reduce((a, b) => a + b, 0) })
      expect(runCli(['--root', tree, '--dry-run', '--verbose', '--docker', 'off']).stdout).toContain('    - logs/app/ (2 file(s), 6 B, 3 entries inside)')
      // Without it, no listing (a dry run stays one screen).
      expect(runCli(['--root', tree, '--dry-run', '--docker', 'off']).stdout).not.toContain('listing')
      expect(snapshot(tree)).toEqual(before)
    } finally {
      removeDir(tree)
    }
  })

  test('--config outside the root (one file for a fleet): read and applied; not protected, not a sign of an environment', () => {
    const fleet = path.join(base, 'fleet.yml')
    fs.writeFileSync(fleet, 'ephemeral:\n  - logs\ndocker: off\n')
    const before = protectedOnly()
    const r = runCli(['--root', root, '-y', '--config', '../fleet.yml', '--json'])
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report.deleted).toEqual(['logs'])
    expect(exists(path.join(root, 'data/redis/dump.rdb'))).toBe(true) // not in the fleet file's list
    expect(fs.readFileSync(fleet, 'utf8')).toContain('ephemeral')
    expect(protectedOnly()).toEqual(before)
    // An absolute path works the same; a missing one says where it looked.
    expect(runCli(['--root', root, '--dry-run', '--config', fleet]).status).toBe(0)
    expect(runCli(['--root', root, '-y', '--config', '../nope.yml']).stderr).toMatch(/^safe-purge: config file "\.\.\/nope\.yml" \(relative to the root: .*nope\.yml\) cannot be read \(ENOENT\)/)
  })

  test('a long output to a reader that is slow to read is written whole before the process exits', async () => {
    // stdout is a socket here, as under spawnSync and most supervisors: non-blocking, so what the
    // reader has not taken waits in the process, and exiting without waiting would drop it.
    const tree = tempDir('sp-slow-reader-')
    try {
      const targets = ['a', 'b', 'c', 'd']
      // About 170 KB of listing: more than the reader's buffer and the kernel's together.
      const long = 'n'.repeat(200)
      makeTree(tree, { 'models/w.json': 'w', ...Object.fromEntries(targets.flatMap((t) => Array.from({ length: 200 }, (_, i) => [`${t}/f${String(i).padStart(3, '0')}${long}.log`, 'x']))) })
      const child = new CliProcess(['--root', tree, '--dry-run', '--list', '--docker', 'off', ...targets.flatMap((t) => ['--ephemeral', t])])
      child.child.stdout.pause()
      await new Promise((r) => setTimeout(r, 1500))
      child.child.stdout.resume()
      const { code } = await child.exited
      expect(code).toBe(0)
      const lines = child.stdout.split('\n')
      expect(lines.filter((l) => /^ {4}- [a-d]\/f\d{3}n{200}\.log \(1 B\)$/.test(l))).toHaveLength(800)
      expect(child.stdout).toMatch(/\ndry run, nothing verified: [^\n]+\n$/)
    } finally {
      removeDir(tree)
    }
  })

  test('a dry run verifies nothing and says so: verified false, what it checked', () => {
    const r = runCli(['--root', root, '--dry-run', '--docker', 'off', '--json'])
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report).toMatchObject({ dryRun: true, ok: true, verified: false, verification: { ok: true } })
    const text = runCli(['--root', root, '--dry-run', '--docker', 'off']).stdout
    expect(text).toMatch(/^dry run, nothing verified: \d+ protected entries fingerprinted, none changed while it ran; a real run verifies them after its purge$/m)
    expect(text).not.toMatch(/^verified/m)
  })

  test('--version is the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'))
    expect(runCli(['--version']).stdout).toBe(`safe-purge ${pkg.version}\n`)
  })

  test.each([
    [['--frobnicate'], /Unknown option '--frobnicate'; see safe-purge --help/],
    [['stray-positional'], /see safe-purge --help/],
    [['--docker', 'sometimes'], /--docker must be auto, required or off/],
    [['--docker-timeout', 'soon'], /--docker-timeout must be a number of seconds/],
    [['--privileged', 'always'], /--privileged must be auto, sudo, container or off/],
    [['--privileged-image', ' '], /--privileged-image is empty/],
    [['--root'], /see safe-purge --help/]
  ])('bad usage %j: exit 2, one line pointing at --help', (args, message) => {
    const r = runCli(args, { cwd: root })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })

  test('no terminal and no --force: refused with exit 2, naming --force; nothing changes; never hangs', () => {
    const before = snapshot(root)
    const r = runCli(['--docker', 'off'], { cwd: root })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/stdin is not a terminal; pass --force \(-y\)/)
    expect(snapshot(root)).toEqual(before)
  })

  test('--root defaults to the current directory; an unsafe root is refused with exit 2', () => {
    const r = runCli(['--dry-run', '--docker', 'off'], { cwd: root })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('would-purge      logs')
    const slash = runCli(['--root', '/', '-y'], { cwd: root })
    expect(slash.status).toBe(2)
    expect(slash.stderr).toMatch(/refusing root "\/": it is the system directory \//)
  })

  test('-y in a directory that is no environment (no config or compose file, models/, .env, .git): refused, exit 2; --root purges it', () => {
    const stray = path.join(base, 'downloads')
    makeTree(stray, { 'logs/today.log': 'not an environment' })
    const before = snapshot(stray)
    const r = runCli(['-y', '--docker', 'off'], { cwd: stray })
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toMatch(/^safe-purge: refusing to purge .*downloads: it shows no sign of being an environment .*name it with --root$/)
    expect(snapshot(stray)).toEqual(before)
    const named = runCli(['-y', '--docker', 'off', '--root', stray], { cwd: base })
    expect(named.status).toBe(0)
    expect(fs.existsSync(path.join(stray, 'logs/today.log'))).toBe(false)
  })

  test.each([
    [['--root', '/', '-y'], /; set --root to the environment directory$/],
    [['--root', 'no/such/dir', '-y'], /does not exist \(ENOENT\): set --root to an existing directory$/],
    [['-y', '--ephemeral', 'models'], /^safe-purge: --ephemeral entry "models" is protected: remove it from --ephemeral /],
    [['-y', '--ephemeral', '../x'], /^safe-purge: --ephemeral entry "..\/x" contains ".."/],
    [['-y', '--protect', ' '], /--protected pattern #1 is empty: remove the blank entry from --protected$/],
    [['-y', '--protected', 'ok', '--protected', ' '], /--protected pattern #2 is empty: remove the blank entry from --protected$/],
    [['-y', '--compose-file', 'nope.yml', '--docker', 'auto'], /--compose-file "nope.yml" does not exist in root: fix --compose-file /],
    [['-y', '--project-name', 'My.App', '--docker', 'auto'], /set --compose-project to the exact name/],
    [['-y', '--compose-project', 'My.App', '--docker', 'auto'], /set --compose-project to the exact name/],
    [['--config', 'missing.yml', '-y'], /fix --config or create the file$/],
    [['-y', '--project-name', ' '], /--project-name is blank/],
    [['-y', '--compose-project', ' '], /--compose-project is blank/],
    [['-y', '--docker-timeout', '0'], /^safe-purge: --docker-timeout must be a number of seconds greater than 0 and at most 86400 \(a day\), got "0"$/],
    [['-y', '--full', '--docker', 'off'], /^safe-purge: --full and --docker off contradict each other: .*; drop one of them$/],
    [['-y', '--full', '--keep-running'], /^safe-purge: --full and --keep-running contradict each other: /],
    [['-y', '--service', 'redis', '--docker', 'off'], /^safe-purge: --services and --docker off contradict each other: /],
    [['-y', '--services', 'redis', '--docker', 'off'], /^safe-purge: --services and --docker off contradict each other: /],
    [['-y', '--docker', 'off', '--ephemeral', 'logs, data/redis'], /--ephemeral entry "logs, data\/redis" looks like several paths on one line: .*--ephemeral once per path\)$/]
  ])('refusal %j: one line naming the flag that fixes it, exit 2, nothing touched', (args, message) => {
    const before = snapshot(root)
    const r = runCli(args, { cwd: root })
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr.trim()).toMatch(message)
    expect(snapshot(root)).toEqual(before)
  })

  test('a lock file holding control characters cannot write them to the terminal', () => {
    const holder = { pid: 1, host: 'other\u001b[31mhost\u0007', startedAt: 'x\ny', token: 't' }
    fs.writeFileSync(path.join(root, '.safe-purge.lock'), JSON.stringify(holder))
    const r = runCli(['-y', '--docker', 'off'], { cwd: root })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('another safe-purge (pid 1 on other\\x1b[31mhost\\x07, since x\\ny)')
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })

  test('a config file cannot set force: the CLI still refuses without a terminal', () => {
    makeTree(root, { '.safe-purge.yml': 'force: true\ndocker: off\n' })
    const before = snapshot(root)
    const r = runCli([], { cwd: root })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/force cannot be set in the config file/)
    expect(snapshot(root)).toEqual(before)
  })

  test('--dry-run prints what would go, changes nothing, exits 0', () => {
    const before = snapshot(root)
    const r = runCli(['--root', root, '--dry-run', '--docker', 'off'])
    expect(r.status).toBe(0)
    expect(snapshot(root)).toEqual(before)
    expect(r.stdout).toMatch(/would-purge +logs: 3 file\(s\)/)
    expect(r.stdout).toMatch(/would remove 6 file\(s\)/)
    expect(r.stdout).not.toContain(ESC)
  })

  test('--force purges, protected files intact, exit 0', () => {
    const before = protectedOnly()
    const r = runCli(['--root', root, '--force', '--docker', 'off'])
    expect(r.status).toBe(0)
    expect(protectedOnly()).toEqual(before)
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied, kept
    expect(r.stdout).toMatch(/verified: \d+ protected entries unchanged, every target clean/)
  })

  test('--json: exactly one JSON document on stdout (the report), everything else on stderr', () => {
    const r = runCli(['--root', root, '-y', '--json'])
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report).toMatchObject({ tool: 'safe-purge', verified: true, ok: true, deleted: ['.docker-compose-state', 'data/redis', 'data/temp', 'logs'] })
    expect(r.stderr).toMatch(/warning: docker skipped/)
    if (process.platform === 'linux' && process.arch === 'x64') expect(report.walker).toBe('native')
  })

  test('SAFE_PURGE_NATIVE=0: the JavaScript path purges the same, and the report says which walker ran', () => {
    const before = protectedOnly()
    const r = runCli(['--root', root, '-y', '--json'], { env: { SAFE_PURGE_NATIVE: '0' } })
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report).toMatchObject({ verified: true, ok: true, walker: 'off (SAFE_PURGE_NATIVE=0)', deleted: ['.docker-compose-state', 'data/redis', 'data/temp', 'logs'] })
    expect(protectedOnly()).toEqual(before)
  })

  // The immutable flag needs root (CI's .ci/run is root; a GitHub runner is not).
  rootOnly('a deletion error: exit 1, the path and the recovery on stderr', () => {
    makeTree(root, { 'logs/stuck.log': 'x' })
    const stuck = path.join(root, 'logs/stuck.log')
    expect(spawnSync('chattr', ['+i', stuck]).status).toBe(0)
    try {
      const r = runCli(['--root', root, '-y', '--docker', 'off'])
      expect(r.status).toBe(1)
      expect(r.stderr).toMatch(/safe-purge: 1 deletion error\(s\); first: logs\/stuck.log: EPERM/)
      expect(r.stdout).toMatch(/recovery: .*lsattr/)
    } finally {
      spawnSync('chattr', ['-i', stuck])
    }
  })

  test('config file precedence: flags over .safe-purge.yml over defaults; unknown keys name the key', () => {
    makeTree(root, { '.safe-purge.yml': 'dry-run: true\nephemeral:\n  - data/temp\ndocker: off\nprotected:\n  - "*.log"\n' })
    // The config's dry-run applies (no flag): nothing changes although -y is given.
    const dry = runCli(['--root', root, '-y'])
    expect(dry.status).toBe(0)
    expect(dry.stdout).toMatch(/would-purge +data\/temp/)
    expect(dry.stdout).not.toMatch(/ logs/)
    expect(exists(path.join(root, 'data/temp/cache.pkl'))).toBe(true)
    // --ephemeral replaces the config's list; the config's protected patterns still add up.
    const withFlag = runCli(['--root', root, '-y', '--ephemeral', 'logs', '--json'])
    const report = JSON.parse(withFlag.stdout)
    expect(report.dryRun).toBe(true)
    expect(report.targets.map((t: { path: string }) => t.path)).toEqual(['logs'])
    expect(report.targets[0].keptTotal).toBe(3)
    fs.writeFileSync(path.join(root, '.safe-purge.yml'), 'emphemeral: [logs]\n')
    const typo = runCli(['--root', root, '--dry-run'])
    expect(typo.status).toBe(2)
    expect(typo.stderr).toMatch(/unknown key "emphemeral"/)
  })
})

describe('--json refusals: still exactly one JSON document on stdout', () => {
  test.each([
    ['a usage error after --json', ['--json', '--frobnicate'], 'ERR_USAGE', /Unknown option '--frobnicate'/],
    ['a usage error before --json', ['--docker-timeout', 'soon', '--json'], 'ERR_BAD_TIMEOUT', /--docker-timeout must be/],
    ['no terminal and no --force', ['--json', '--docker', 'off'], 'ERR_NOT_CONFIRMED', /stdin is not a terminal; pass --force/],
    ['an unsafe root', ['--json', '--root', '/', '-y'], 'ERR_ROOT_IS_SYSTEM', /system directory/],
    ['a missing root', ['--json', '--root', '/nonexistent-sp-root', '--dry-run'], 'ERR_ROOT_MISSING', /does not exist/],
    ['a config error', ['--json', '--dry-run', '--config', 'broken.yml'], 'ERR_CONFIG_KEY', /unknown key "emphemeral"/]
  ])('%s: exit 2, {tool, ok: false, verified: false, exitCode: 2, error: {code, message}}', (_what, args, code, message) => {
    makeTree(root, { 'broken.yml': 'emphemeral: [logs]\n' })
    const before = snapshot(root)
    const r = runCli(args, { cwd: root })
    expect(r.status).toBe(2)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({ tool: 'safe-purge', ok: false, verified: false, exitCode: 2, error: { code } })
    expect(doc.error.message).toMatch(message)
    expect(doc.failures).toEqual([doc.error.message])
    expect(r.stderr).toContain(`safe-purge: ${doc.error.message}\n`)
    expect(snapshot(root)).toEqual(before)
  })

  test('the report of a run carries the same exitCode', () => {
    const r = runCli(['--root', root, '-y', '--json', '--docker', 'off'])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ tool: 'safe-purge', ok: true, verified: true, exitCode: 0 })
  })
})

describe('output without a terminal', () => {
  test('a line per phase and per purged target, in order; no redraws, no colours', () => {
    makeTree(root, { 'data/temp/more.pkl': 'more' })
    const r = runCli(['--root', root, '-y', '--docker', 'off'])
    expect(r.status).toBe(0)
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\r\x1b]/)
    const phases = [...r.stdout.matchAll(/^\[\d+\] (.+)$/gm)].map((m) => m[1])
    expect(phases).toEqual(['Validate', 'Plan', 'Docker: discover', 'Fingerprint protected paths', 'Purge', 'Verify', 'Result'])
    const purge = r.stdout.slice(r.stdout.indexOf('] Purge\n'), r.stdout.indexOf('] Verify\n'))
    // Per target, not running totals; missing targets have no line.
    expect(purge.split('\n').slice(1, -1)).toEqual([
      '  .docker-compose-state: 1 file(s), 5 B removed',
      '  data/redis: 1 file(s), 9 B removed',
      '  data/temp: 2 file(s), 10 B removed',
      '  logs: 3 file(s), 705 B removed'
    ])
  })

  test('phase numbers: consecutive, with docker skipped too (no number skipped, no total that changes on the way)', () => {
    const r = runCli(['--root', root, '-y'])
    expect(r.status).toBe(0)
    expect([...r.stdout.matchAll(/^\[(\d+)\] /gm)].map((m) => m[1])).toEqual(['1', '2', '3', '4', '5', '6', '7'])
    expect(r.stderr).toMatch(/warning: docker skipped: no compose file/)
  })

  test('--verbose: every phase, the plan and each docker command', () => {
    const fake = fakeDocker(base)
    makeTree(root, { 'compose.yaml': COMPOSE })
    const r = runCli(['--root', root, '--dry-run', '--verbose', '--project-name', 'proj'], { env: { PATH: fake.path } })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^\[1\] Validate\n {6}root: .*mt5-env \(dry run: nothing will be changed\)$/m)
    expect(r.stdout).toMatch(/^\[2\] Plan\n[\s\S]* {6}would-purge +logs: 3 file\(s\)/m)
    expect(r.stdout).toMatch(/^\[3\] Docker: discover\n {6}\$ docker version --format "\{\{\.Server\.Version\}\}"\n {6}\$ docker ps -aq --no-trunc\n {6}\$ docker compose version\n {6}\$ docker volume ls -q --filter label=com\.docker\.compose\.project=proj/m)
    expect(r.stdout).toMatch(/^\[4\] Fingerprint protected paths$/m)
    expect(r.stdout).toMatch(/^\[6\] Result$/m)
  })

  test('repeated --compose-file: every file goes to compose down, in order', () => {
    const fake = fakeDocker(base)
    makeTree(root, { 'deploy/a.yml': COMPOSE, 'deploy/b.yml': COMPOSE })
    const before = protectedOnly()
    const r = runCli(['--root', root, '-y', '--verbose', '--json', '--compose-file', 'deploy/a.yml', '--compose-file', 'deploy/b.yml', '--project-name', 'proj'], { env: { PATH: fake.path } })
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report.docker).toMatchObject({ used: true, stopped: true, files: ['deploy/a.yml', 'deploy/b.yml'] })
    expect(r.stderr).toContain('$ docker compose -f deploy/a.yml -f deploy/b.yml -p proj down --remove-orphans')
    expect(fs.readFileSync(fake.log, 'utf8')).toContain('compose -f deploy/a.yml -f deploy/b.yml -p proj down --remove-orphans')
    // The compose files this run reads are protected.
    expect(protectedOnly()).toEqual(before)
  })

  test('--docker-host reaches docker: with --docker required its error names the host (exit 2)', () => {
    const fake = fakeDocker(base)
    makeTree(root, { 'compose.yaml': COMPOSE })
    const before = snapshot(root)
    const r = runCli(['--root', root, '-y', '--docker', 'required', '--docker-host', 'tcp://127.0.0.1:9'], { env: { PATH: fake.path } })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/safe-purge: docker is required but the docker daemon cannot be reached \(.*Cannot connect to the Docker daemon at tcp:\/\/127\.0\.0\.1:9/)
    expect(fs.readFileSync(fake.log, 'utf8')).toMatch(/^DOCKER_HOST=tcp:\/\/127\.0\.0\.1:9 version/m)
    expect(snapshot(root)).toEqual(before)
  })
})

describe('config file precedence of the newer flags', () => {
  const volumes = (stdout: string): Record<string, string> =>
    Object.fromEntries((JSON.parse(stdout).docker.volumes as { key: string; action: string; reason: string }[]).map((v) => [v.key, `${v.action}: ${v.reason}`]))

  test('--no-dry-run purges although the config says dry-run: true', () => {
    makeTree(root, { '.safe-purge.yml': 'dry-run: true\ndocker: off\n' })
    const before = protectedOnly()
    const dry = runCli(['--root', root, '-y', '--json'])
    expect(JSON.parse(dry.stdout).dryRun).toBe(true)
    expect(exists(path.join(root, 'logs'))).toBe(true)
    const r = runCli(['--root', root, '-y', '--no-dry-run', '--json'])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: false, verified: true })
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied, kept
    expect(protectedOnly()).toEqual(before)
    // The last of --dry-run/--no-dry-run wins.
    makeTree(root, { 'logs/again.log': 'x' })
    expect(JSON.parse(runCli(['--root', root, '-y', '--no-dry-run', '--dry-run', '--json']).stdout).dryRun).toBe(true)
    expect(exists(path.join(root, 'logs/again.log'))).toBe(true)
  })

  test('--no-full keeps the volumes although the config says full: true; --protected-volume adds to the config\'s', () => {
    const fake = fakeDocker(base)
    makeTree(root, { 'compose.yaml': COMPOSE, '.safe-purge.yml': 'full: true\ncompose-project: proj\nprotected-volumes:\n  - pg_data\n' })
    const env = { PATH: fake.path }
    expect(volumes(runCli(['--root', root, '--dry-run', '--json'], { env }).stdout)).toEqual({
      redis_data: 'remove: project volume', pg_data: 'keep: protected-volumes', cache: 'remove: project volume'
    })
    expect(volumes(runCli(['--root', root, '--dry-run', '--json', '--no-full'], { env }).stdout)).toEqual({
      redis_data: 'keep: full is off', pg_data: 'keep: protected-volumes', cache: 'keep: full is off'
    })
    expect(volumes(runCli(['--root', root, '--dry-run', '--json', '--protected-volume', 'redis_data'], { env }).stdout)).toEqual({
      redis_data: 'keep: protected-volumes', pg_data: 'keep: protected-volumes', cache: 'remove: project volume'
    })
  })

  test('--docker-timeout overrides the config\'s docker-timeout', () => {
    const fake = fakeDocker(base)
    makeTree(root, { 'compose.yaml': COMPOSE, '.safe-purge.yml': 'docker-timeout: 300\n' })
    const t0 = Date.now()
    const r = runCli(['--root', root, '--dry-run', '--docker-timeout', '1'], { env: { PATH: fake.path, FAKE_DOCKER_SLEEP: '60' } })
    // The root has a compose file: a daemon that does not answer refuses the run (its stack may be running).
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/refusing to purge: the docker daemon cannot be reached \(docker version .* timed out after 1 s .*set --docker to off/)
    expect(Date.now() - t0).toBeLessThan(30000)
  })
})

describe('cancelled by signals (GitHub sends SIGINT, then SIGTERM)', () => {
  test('SIGINT then SIGTERM during the purge: stops at a safe point, verifies, reports, exit 1, lock released', async () => {
    const big = bigRoot(30000)
    const before = protectedOnly(big)
    // The run stops itself mid-purge (a test seam); it gets both signals at once when it resumes.
    const p = new CliProcess(['--root', big, '-y', '--docker', 'off', '--json'], { env: stopAfter(5000) })
    await stoppedMidPurge(p.child.pid as number, path.join(big, 'logs/bulk'))
    p.kill('SIGINT')
    p.kill('SIGTERM')
    thaw(p.child.pid as number)
    const { code, signal } = await p.exited
    expect({ code, signal }).toEqual({ code: 1, signal: null })
    // Sent back to back, the two may be handled in either order; both are heard, neither quits.
    expect(p.stderr).toMatch(/(SIGINT|SIGTERM) received: stopping at the next safe point/)
    expect(p.stderr).toMatch(/(SIGINT|SIGTERM) received: still stopping safely and verifying/)
    expect(p.stderr).toMatch(/SIGINT received/)
    expect(p.stderr).toMatch(/SIGTERM received/)
    const report = JSON.parse(p.stdout)
    expect(report).toMatchObject({ cancelled: 'during-purge', ok: false, exitCode: 1, verification: { ok: true, missing: [], changed: [] } })
    expect(report.targets.find((t: { path: string }) => t.path === 'logs').result).toBe('cancelled')
    // The verification line is printed, and it does not claim every target is clean.
    expect(p.stderr).toMatch(/^verified: \d+ protected entries unchanged; the purge was cancelled: [1-9]\d* target\(s\) it did not finish still hold files$/m)
    expect(p.stderr).not.toMatch(/every target clean/)
    expect(p.stderr).toMatch(/safe-purge: cancelled during the purge/)
    expect(protectedOnly(big)).toEqual(before)
    expect(exists(path.join(big, LOCK))).toBe(false)
    expect(exists(path.join(big, 'logs/bulk'))).toBe(true)
  })
})

describe('exit status of an error thrown by the engine (in-process, the engine made to fail)', () => {
  class Capture extends Writable {
    text = ''
    override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
      this.text += chunk.toString()
      cb()
    }
  }
  const main = async (args: string[], engine: typeof run) => {
    const stdout = new Capture()
    const stderr = new Capture()
    const code = await cliMain(args, { stdin: Readable.from([]), stdout, stderr, env: { PATH: process.env.PATH ?? '' } }, undefined, engine)
    return { code, stdout: stdout.text, stderr: stderr.text }
  }

  test('thrown after the purge began: exit 1, said so; the lock is released, protected files intact', async () => {
    const before = protectedOnly()
    // Targets go in sorted order: the others are purged by the time logs throws.
    const engine: typeof run = (s, d) =>
      run(s, { ...d, executeHooks: { beforeTarget: (rel) => { if (rel === 'logs') throw fail('EIO', 'EIO: i/o error, lookup logs') } } })
    const r = await main(['--root', root, '-y', '--docker', 'off', '--json'], engine)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/safe-purge: stopped after the run began changing things \(docker or files\), without verification: EIO: i\/o error/)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, verified: false, exitCode: 1, error: { code: 'EIO' } })
    expect(fs.readdirSync(path.join(root, 'data/redis'))).toEqual([]) // emptied, kept
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(true)
    expect(exists(path.join(root, LOCK))).toBe(false)
    expect(protectedOnly()).toEqual(before)
  })

  test('thrown before anything changed: exit 2', async () => {
    const before = snapshot(root)
    const engine: typeof run = (s, d) =>
      run(s, { ...d, log: { ...d.log, group: (name, fn) => (name === 'Fingerprint protected paths' ? Promise.reject(fail('EIO', 'EIO: i/o error, scandir models')) : d.log.group(name, fn)) } })
    const r = await main(['--root', root, '-y', '--docker', 'off'], engine)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('safe-purge: EIO: i/o error, scandir models\n')
    expect(snapshot(root)).toEqual(before)
  })
})

describe('in a real terminal (tmux)', () => {
  const hasTmux = spawnSync('tmux', ['-V']).status === 0
  const t = hasTmux || process.env.CI ? test : test.skip

  t('answering n changes nothing (exit 2); the prompt shows what goes and what stays', async () => {
    makeTree(root, Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`logs/k${String(i).padStart(2, '0')}.keep`, 'k'])))
    const before = snapshot(root)
    const s = tmux(['--root', root, '--docker', 'off', '--protect', '*.keep'])
    const screen = await s.waitFor(/Are you sure you want to proceed\? \(y\/N\)/)
    expect(screen).toMatch(/This will DELETE:[\s\S]*logs +3 file\(s\)/)
    expect(screen).toMatch(/This will NOT delete:[\s\S]*logs\/k09\.keep \(protected, inside logs\)\n {2}\.\.\. and 3 more protected\/mount entries inside logs/)
    expect(screen).not.toContain('k10.keep')
    // The policy's own list, and this run's pattern: not a copy that could drift.
    expect(screen).toMatch(/anything matching: models, config, src, scripts, docs, \.git, \.gitignore, \.env, \.env\.example, requirements\.txt, Dockerfile\.strategy, Dockerfile\.api, docker-compose\.prod\.yml, \*\.keep\n/)
    s.type('n')
    expect(await s.exitCode()).toBe(2)
    expect(s.screen()).toMatch(/cancelled: nothing was changed/)
    expect(snapshot(root)).toEqual(before)
  })

  t('SIGTERM while the prompt waits: the question counts as "no", nothing changes (exit 2)', async () => {
    const before = snapshot(root)
    const s = tmux(['--root', root, '--docker', 'off'])
    await s.waitFor(/\(y\/N\)/)
    process.kill(s.pid(), 'SIGTERM')
    expect(await s.exitCode()).toBe(2)
    expect(s.screen()).toMatch(/safe-purge: cancelled by a signal: nothing was changed/)
    expect(snapshot(root)).toEqual(before)
  })

  t('answering y purges; protected files are intact; the result is readable (exit 0)', async () => {
    const before = protectedOnly()
    const s = tmux(['--root', root, '--docker', 'off'])
    await s.waitFor(/\(y\/N\)/)
    s.type('y')
    expect(await s.exitCode()).toBe(0)
    expect(s.screen()).toMatch(/verified: \d+ protected entries unchanged, every target clean/)
    expect(protectedOnly()).toEqual(before)
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied, kept
  })

  t('colours on a terminal; none with NO_COLOR; FORCE_COLOR turns them on without one', async () => {
    const coloured = tmux(['--root', root, '--dry-run', '--docker', 'off'])
    expect(await coloured.exitCode()).toBe(0)
    expect(coloured.screen()).toContain(ESC)
    const plain = tmux(['--root', root, '--dry-run', '--docker', 'off'], { NO_COLOR: '1' })
    expect(await plain.exitCode()).toBe(0)
    const screen = plain.screen()
    expect(screen).toContain('would-purge')
    expect(screen).not.toContain(ESC)
    expect(runCli(['--root', root, '--dry-run', '--docker', 'off'], { env: { FORCE_COLOR: '1' } }).stdout).toContain(ESC)
  })

  t('colours are decided per stream: a redirected stream gets none, the terminal keeps them', async () => {
    // docker auto without a compose file: a warning on stderr; the result on stdout.
    const errFile = path.join(base, 'stderr.txt')
    const outOnTty = tmux(['--root', root, '--dry-run'], {}, { stderrFile: errFile })
    expect(await outOnTty.exitCode()).toBe(0)
    expect(outOnTty.screen()).toMatch(new RegExp(`${ESC.replace('[', '\\[')}32mwould-purge`))
    expect(fs.readFileSync(errFile, 'utf8')).toMatch(/^warning: docker skipped: no compose file/m)
    expect(fs.readFileSync(errFile, 'utf8')).not.toContain(ESC)
    const outFile = path.join(base, 'stdout.txt')
    const errOnTty = tmux(['--root', root, '--dry-run'], {}, { stdoutFile: outFile })
    expect(await errOnTty.exitCode()).toBe(0)
    expect(errOnTty.screen()).toMatch(new RegExp(`${ESC.replace('[', '\\[')}33mwarning: docker skipped`))
    expect(fs.readFileSync(outFile, 'utf8')).toMatch(/^dry run, nothing verified: /m)
    expect(fs.readFileSync(outFile, 'utf8')).not.toContain(ESC)
    // NO_COLOR and FORCE_COLOR still apply to both.
    const forced = tmux(['--root', root, '--dry-run'], { FORCE_COLOR: '1' }, { stdoutFile: outFile })
    expect(await forced.exitCode()).toBe(0)
    expect(fs.readFileSync(outFile, 'utf8')).toContain(ESC)
    const none = tmux(['--root', root, '--dry-run'], { NO_COLOR: '1' })
    expect(await none.exitCode()).toBe(0)
    expect(none.screen()).not.toContain(ESC)
  })

  t('progress on a terminal: the line is redrawn while files go, then cleared for the result', async () => {
    const big = bigRoot(30000)
    const s = tmux(['--root', big, '--docker', 'off'])
    await s.waitFor(/\(y\/N\)/)
    const raw = path.join(base, 'pane.raw')
    s.record(raw)
    s.type('y')
    expect(await s.exitCode()).toBe(0)
    const draws = fs.readFileSync(raw, 'latin1').split('\r\x1b[K').filter((d) => d.startsWith('  purging '))
    const logs = draws.filter((d) => d.startsWith('  purging logs (4 of 4); all targets so far: '))
    // At least one redraw in the middle of the big target, counting towards the planned files.
    expect(logs.some((d) => /: [\d,]+ of 30,006 files, .* removed \((\d|[1-9]\d)%\)$/.test(d))).toBe(true)
    expect(logs.at(-1)).toMatch(/: 30,006 of 30,006 files, .* removed \(100%\)$/)
    const screen = s.screen()
    expect(screen).not.toContain('purging ')
    expect(screen).toMatch(/verified: \d+ protected entries unchanged, every target clean/)
    expect(fs.readdirSync(path.join(big, 'logs'))).toEqual([]) // emptied, kept
  })

  // One Ctrl-C: two keystrokes may reach the process as one signal. SIGINT then SIGTERM is tested
  // without a terminal. The CLI stops itself (SIGSTOP) after the purge has looked at 5,000 entries
  // (a test seam), so the key's SIGINT lands mid-purge: watching the screen for "purging" and
  // freezing it from here raced a purge that can finish in a few hundred milliseconds.
  t('Ctrl-C during the purge: stops safely, verifies, says what was cancelled (exit 1)', async () => {
    const big = bigRoot(30000)
    const before = protectedOnly(big)
    const s = tmux(['--root', big, '--docker', 'off'], stopAfter(5000))
    await s.waitFor(/\(y\/N\)/)
    const pid = s.pid()
    s.type('y')
    await stoppedMidPurge(pid, path.join(big, 'logs/bulk'))
    s.key('C-c')
    thaw(pid)
    expect(await s.exitCode()).toBe(1)
    const screen = s.screen()
    expect(screen).toMatch(/SIGINT received: stopping at the next safe point/)
    expect(screen).toMatch(/cancelled +logs: /)
    expect(screen).toMatch(/verified: \d+ protected entries unchanged; the purge was cancelled/)
    expect(screen).not.toMatch(/every target clean/)
    expect(protectedOnly(big)).toEqual(before)
    expect(exists(path.join(big, LOCK))).toBe(false)
  })

  const reason = dockerUnavailable()
  const withDocker = reason && process.env.SAFE_PURGE_REQUIRE_DOCKER !== '1' ? test.skip : t
  withDocker('--full asks for the project name; a wrong name cancels and nothing changes (exit 2)', async () => {
    if (reason) throw new Error(`SAFE_PURGE_REQUIRE_DOCKER=1 but ${reason}`)
    const project = `spcli${crypto.randomBytes(4).toString('hex')}`
    const volume = `${project}_redis_data`
    makeTree(root, { 'compose.yaml': 'services:\n  app:\n    image: safe-purge-test:latest\nvolumes:\n  redis_data: {}\n' })
    spawnSync('docker', ['volume', 'create', '--label', `com.docker.compose.project=${project}`, '--label', 'com.docker.compose.volume=redis_data', volume])
    try {
      const before = snapshot(root)
      const s = tmux(['--root', root, '--full', '--project-name', project])
      const screen = await s.waitFor(/\(y\/N\)/)
      expect(screen).toContain(`Docker volume ${volume}`)
      s.type('y')
      await s.waitFor(/Type the project name to confirm:/)
      s.type('not-the-project')
      expect(await s.exitCode()).toBe(2)
      expect(s.screen()).toMatch(/is not the project name/)
      expect(snapshot(root)).toEqual(before)
      expect(spawnSync('docker', ['volume', 'inspect', volume]).status).toBe(0)
    } finally {
      spawnSync('docker', ['volume', 'rm', '-f', volume])
    }
  })
})
