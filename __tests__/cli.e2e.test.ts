/**
 * The operator CLI, driven as a person would: through pipes (no terminal) and in a real
 * pseudo-terminal with tmux (answering the prompts).
 */
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, tempDir } from './helpers/tree.js'
import { CLI, Tmux, runCli } from './helpers/cli.js'
import { REPO } from './helpers/action.js'
import { HELP } from '../src/cli-args.js'
import { dockerUnavailable } from './helpers/docker.js'

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
const tmux = (args: string[], env: Record<string, string> = {}): Tmux => {
  const t = new Tmux(args, { cwd: base, env: { HOME: base, ...env } })
  sessions.push(t)
  return t
}
const protectedOnly = (): [string, unknown][] => [...snapshot(root)].filter(([k]) => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(k))

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
    for (const flag of ['--root', '--dry-run', '--force', '-y', '--full', '--verbose', '--json', '--ephemeral', '--protect', '--config', '--docker', '--compose-file', '--project-name', '--docker-host', '--help', '--version']) {
      expect(r.stdout).toContain(flag)
    }
    expect(r.stdout).toMatch(/Exit status: 0 .* 1 .* 2 /s)
  })

  test('--version is the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'))
    expect(runCli(['--version']).stdout).toBe(`safe-purge ${pkg.version}\n`)
  })

  test.each([
    [['--frobnicate'], /Unknown option '--frobnicate'; see safe-purge --help/],
    [['stray-positional'], /see safe-purge --help/],
    [['--docker', 'sometimes'], /--docker must be auto, required or off/],
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
    expect(exists(path.join(root, 'logs'))).toBe(false)
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

describe('in a real terminal (tmux)', () => {
  const hasTmux = spawnSync('tmux', ['-V']).status === 0
  const t = hasTmux || process.env.CI ? test : test.skip

  t('answering n changes nothing (exit 2); the prompt shows what goes and what stays', async () => {
    const before = snapshot(root)
    const s = tmux(['--root', root, '--docker', 'off'])
    const screen = await s.waitFor(/Are you sure you want to proceed\? \(y\/N\)/)
    expect(screen).toMatch(/This will DELETE:[\s\S]*logs +3 file\(s\)/)
    expect(screen).toMatch(/This will NOT delete:[\s\S]*models/)
    s.type('n')
    expect(await s.exitCode()).toBe(2)
    expect(s.screen()).toMatch(/cancelled: nothing was changed/)
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
    expect(exists(path.join(root, 'logs'))).toBe(false)
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
