/**
 * Root-owned leftovers, for real: a real container writes files into logs/ and data/redis/ as
 * root and as redis's uid 999 (and into a sticky data/temp/), then safe-purge runs as an ordinary
 * user and finishes them with a second pass as root, through real sudo (a NOPASSWD rule installed
 * and removed around the run) or a real container (an offline node image built with docker
 * import). A root-owned protected file inside a target stays; a link to a canary outside the root
 * is removed as a link; `off` fails as before; `auto` picks sudo, then a container, then none; a
 * dry run says what a real run could not delete and which mode would; a real run that no mode
 * could finish refuses before it stops a running stack.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { CONTAINER_USER, containerWrites, ensureNodeImage, ensureUser, privilegedGate, removeTree, runActionAs, runCliAs, treeFor, withSudoRule, withoutSudoRule, type TestUser } from '../helpers/privileged.js'
import { COMPOSE_V1, Janitor, must, runningContainers, waitFor } from '../helpers/docker.js'
import { snapshot, tempDir, type TreeSpec } from '../helpers/tree.js'
import type { Report } from '../../src/engine/report.js'
import type { ErrorDocument } from '../../src/cli/command.js'

type Json = Report & { exitCode: number } & Partial<ErrorDocument>

const gate = privilegedGate({ docker: true, sudo: true })

/** A user-owned environment: what the user wrote, and what protects it. */
const TREE: TreeSpec = {
  'models/m.bin': 'model',
  '.env': 'API_KEY=secret\n',
  'config/app.yaml': 'a: 1\n',
  'logs/own.log': 'mine\n',
  'cache/own.tmp': 'mine\n'
}

let outside: string
let dirs: string[]

/**
 * What a stack's containers leave: logs/worker/ (root, 755) with logs, a 0700 subdirectory, a
 * root-owned protected .env and links to a canary outside the root; data/redis/ owned by 999 with
 * its dump; data/temp/ sticky (1777, root) with a file of 999's.
 */
function leaveRootOwnedFiles(root: string): void {
  containerWrites(
    root,
    [
      'mkdir -p logs/worker/deep data/redis data/temp',
      'echo w > logs/worker/w.log && echo d > logs/worker/deep/d.log && chmod 700 logs/worker/deep',
      'echo ROOT_SECRET=1 > logs/worker/.env',
      `ln -s ${path.join(outside, 'canary')} logs/worker/canary-link && ln -s ${outside} logs/worker/outside-dir`,
      'chown 999:999 data/redis && chmod 755 data/redis && chmod 1777 data/temp'
    ].join(' && ')
  )
  containerWrites(root, 'echo REDIS0009 > data/redis/dump.rdb && echo t > data/temp/t.tmp', { user: CONTAINER_USER })
}

function newRoot(user: TestUser, extra: TreeSpec = {}): string {
  const root = treeFor(user, { ...TREE, ...extra })
  dirs.push(root)
  leaveRootOwnedFiles(root)
  return root
}

/** What must hold after a successful privileged purge of newRoot(). */
function expectFinished(root: string, cachePurged = false): void {
  const all = [...snapshot(root).keys()].sort()
  const cache = cachePurged ? ['cache'] : ['cache', 'cache/own.tmp']
  expect(all).toEqual(['.env', ...cache, 'config', 'config/app.yaml', 'data', 'data/redis', 'data/temp', 'logs', 'logs/worker', 'logs/worker/.env', 'models', 'models/m.bin'])
  const secret = path.join(root, 'logs/worker/.env')
  expect(fs.readFileSync(secret, 'utf8')).toBe('ROOT_SECRET=1\n')
  expect(fs.lstatSync(secret).uid).toBe(0)
  expect(fs.readFileSync(path.join(outside, 'canary'), 'utf8')).toBe('canary')
  expect(fs.readdirSync(outside).sort()).toEqual(['canary', 'keep'])
  // Target directories stay, with their owners and modes.
  expect(fs.lstatSync(path.join(root, 'data/redis')).uid).toBe(999)
  expect(fs.lstatSync(path.join(root, 'data/temp')).mode & 0o7777).toBe(0o1777)
}

/** A new list of dirs to remove, with `outside` (a canary and a file no link may reach) in it. */
function freshDirs(): void {
  dirs = []
  outside = tempDir('sp-outside-')
  fs.chmodSync(outside, 0o755)
  fs.writeFileSync(path.join(outside, 'canary'), 'canary')
  fs.writeFileSync(path.join(outside, 'keep'), 'keep')
  dirs.push(outside)
}

function removeDirs(): void {
  for (const d of dirs) removeTree(d)
}

function dockerGid(): number {
  const line = fs.readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith('docker:'))
  if (!line) throw new Error('no docker group')
  return Number(line.split(':')[2])
}

gate.describe('privileged pass: a run as an ordinary user finishes what containers left as root', () => {
  let image: string
  beforeAll(() => {
    image = ensureNodeImage()
  })
  beforeEach(freshDirs)
  afterEach(removeDirs)

  test('through sudo: only the targets with permission errors, same protections, links not followed', () => {
    const user = ensureUser('sudo')
    const root = newRoot(user)
    const r = withSudoRule(user, () => runCliAs<Json>(user, ['--root', root, '--force', '--docker', 'off', '--json', '--ephemeral', 'logs', '--ephemeral', 'data/redis', '--ephemeral', 'data/temp', '--ephemeral', 'cache']))
    expect(r.stderr).not.toMatch(/error:/)
    expect(r.status).toBe(0)
    const j = r.json as Json
    expect(j.ok).toBe(true)
    expect(j.verification.ok).toBe(true)
    expect(j.privileged?.ran).toBe(true)
    expect(j.privileged?.via).toBe('sudo')
    expect(j.privileged?.image).toBeNull()
    // cache/ held only the user's own file: it never reached the pass.
    expect(j.privileged?.targets.sort()).toEqual(['data/redis', 'data/temp', 'logs'])
    // w.log and d.log (logs/worker is root's), dump.rdb (999's directory), t.tmp (999's, sticky directory).
    expect(j.privileged?.removedFiles).toBe(4)
    expect(j.totals.files).toBe(6)
    const owners = new Map(j.privileged?.entries.map((e) => [e.path, e.owner]))
    expect(owners.get('data/redis/dump.rdb')).toBe(999)
    expect(owners.get('data/temp/t.tmp')).toBe(999)
    expect(j.privileged?.entries.find((e) => e.path === 'data/temp/t.tmp')?.code).toBe('EPERM')
    expect([...owners.values()]).toContain(0)
    expect(j.privileged?.entriesTotal).toBe(6)
    expect(j.targets.find((t) => t.path === 'logs')?.kept.map((k) => k.path)).toEqual(['logs/worker/.env'])
    expectFinished(root, true)
  })

  test('through a container: --network none, read-only, caps dropped; the same result', () => {
    const user = ensureUser('docker')
    const root = newRoot(user)
    const r = withoutSudoRule(user, () => runCliAs<Json>(user, ['--root', root, '--force', '--docker', 'off', '--json', '--privileged', 'container', '--privileged-image', image]))
    expect(r.status).toBe(0)
    const j = r.json as Json
    expect(j.ok).toBe(true)
    expect(j.privileged).toMatchObject({ ran: true, via: 'container', image, removedFiles: 4 })
    expectFinished(root)
    // The pass's container is gone (--rm), and there was only ever the one.
    expect(must('docker', ['ps', '-aq', '--filter', 'label=com.safe-purge.pass']).trim()).toBe('')
  })

  test('off: fails on them as before, naming each with its hint; nothing runs as root', () => {
    const user = ensureUser('docker')
    const root = newRoot(user)
    const r = runCliAs<Json>(user, ['--root', root, '--force', '--docker', 'off', '--json', '--privileged', 'off', '--privileged-image', image])
    expect(r.status).toBe(1)
    const j = r.json as Json
    expect(j.ok).toBe(false)
    expect(j.privileged?.ran).toBe(false)
    expect(j.privileged?.notes.join(' ')).toMatch(/--privileged is off/)
    // logs/worker: w.log, deep/ (0700: cannot be opened), the two links; data/redis/dump.rdb; data/temp/t.tmp (sticky).
    expect(j.errors.map((e) => e.code).sort()).toEqual(['EACCES', 'EACCES', 'EACCES', 'EACCES', 'EACCES', 'EPERM'])
    expect(j.errors.every((e) => /privileged/.test(e.hint))).toBe(true)
    expect(fs.readFileSync(path.join(root, 'data/redis/dump.rdb'), 'utf8')).toBe('REDIS0009\n')
    expect(fs.existsSync(path.join(root, 'logs/worker/w.log'))).toBe(true)
    expect(fs.existsSync(path.join(root, 'logs/own.log'))).toBe(false)
  })

  test('never after another failure: a refused target stops the pass, though sudo is at hand', () => {
    const user = ensureUser('sudo')
    const root = newRoot(user)
    // cache-link/x: its parent is a link, so the target is refused (links are never followed).
    fs.symlinkSync(outside, path.join(root, 'cache-link'))
    fs.lchownSync(path.join(root, 'cache-link'), user.uid, user.primaryGid)
    const r = withSudoRule(user, () => runCliAs<Json>(user, ['--root', root, '--force', '--docker', 'off', '--json', '--ephemeral', 'logs', '--ephemeral', 'cache-link/keep']))
    expect(r.status).toBe(1)
    const j = r.json as Json
    expect(j.targets.find((t) => t.path === 'cache-link/keep')?.result).toBe('refused')
    expect(j.privileged?.ran).toBe(false)
    expect(j.privileged?.notes.join(' ')).toMatch(/did not run: the target cache-link\/keep was refused/)
    expect(fs.existsSync(path.join(root, 'logs/worker/w.log'))).toBe(true)
    expect(fs.readFileSync(path.join(outside, 'keep'), 'utf8')).toBe('keep')
  })

  test('auto picks sudo when both would work, then a container, then refuses with what each lacked', () => {
    // sp-sudo spawned with the docker group: sudo and the container are both available.
    const both: TestUser = { ...ensureUser('sudo'), gid: dockerGid() }
    const root1 = newRoot(both)
    const r1 = withSudoRule(both, () => runCliAs<Json>(both, ['--root', root1, '--force', '--docker', 'off', '--json', '--privileged-image', image]))
    expect(r1.status).toBe(0)
    expect(r1.json?.privileged?.via).toBe('sudo')
    expectFinished(root1)

    const docker = ensureUser('docker')
    const root2 = newRoot(docker)
    const r2 = withoutSudoRule(docker, () => runCliAs<Json>(docker, ['--root', root2, '--force', '--docker', 'off', '--json', '--privileged-image', image]))
    expect(r2.status).toBe(0)
    expect(r2.json?.privileged?.via).toBe('container')
    expectFinished(root2)

    const plain = ensureUser('plain')
    const root3 = newRoot(plain)
    const before = snapshot(root3)
    const r3 = withoutSudoRule(plain, () => runCliAs<Json>(plain, ['--root', root3, '--force', '--docker', 'off', '--json', '--privileged-image', image]))
    expect(r3.status).toBe(2)
    expect(r3.json?.error?.code).toBe('ERR_PERMISSION')
    expect(r3.json?.error?.message).toMatch(/sudo: a password is required.*container: docker is not usable/)
    expect(r3.json?.error?.message).toMatch(/nothing was changed/)
    expect(snapshot(root3)).toEqual(before)
  })

  test('a dry run lists what this user could not delete, with owners, and the mode that would finish it; nothing changes', () => {
    const plain = ensureUser('plain')
    const root1 = newRoot(plain)
    const before1 = snapshot(root1)
    const r1 = withoutSudoRule(plain, () => runCliAs<Json>(plain, ['--root', root1, '--dry-run', '--docker', 'off', '--json', '--privileged-image', image]))
    expect(r1.status).toBe(1)
    const j1 = r1.json as Json
    expect(j1.privileged?.via).toBeNull()
    expect(j1.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['logs/worker/w.log', 'data/redis/dump.rdb', 'data/temp/t.tmp']))
    expect(j1.errors.find((e) => e.path === 'data/temp/t.tmp')?.message).toMatch(/sticky/)
    expect(j1.errors.find((e) => e.path === 'logs/worker/w.log')?.message).toMatch(/logs\/worker is not writable by uid \d+ \(owner 0, mode 755\)/)
    expect(snapshot(root1)).toEqual(before1)

    const docker = ensureUser('docker')
    const root2 = newRoot(docker)
    const before2 = snapshot(root2)
    const r2 = withoutSudoRule(docker, () => runCliAs<Json>(docker, ['--root', root2, '--dry-run', '--docker', 'off', '--json', '--privileged-image', image]))
    expect(r2.status).toBe(0)
    const j2 = r2.json as Json
    expect(j2.privileged).toMatchObject({ ran: false, via: 'container', image })
    expect(j2.privileged?.entries.find((e) => e.path === 'data/redis/dump.rdb')?.owner).toBe(999)
    expect(j2.errors).toEqual([])
    expect(snapshot(root2)).toEqual(before2)

    // The image only missing: a dry run pulls nothing, and says a real run would pull it first.
    const r3 = withoutSudoRule(docker, () => runCliAs<Json>(docker, ['--root', root2, '--dry-run', '--docker', 'off', '--json', '--privileged-image', 'safe-purge-absent:never']))
    expect(r3.status).toBe(0)
    expect(r3.json?.privileged).toMatchObject({ ran: false, via: 'container', image: 'safe-purge-absent:never' })
    expect(r3.json?.privileged?.notes.join(' ')).toMatch(/a real run pulls it first, and refuses before changing anything if it cannot/)
    expect(must('docker', ['images', '-q', 'safe-purge-absent']).trim()).toBe('')
    expect(snapshot(root2)).toEqual(before2)
  })

  test('an immutable entry: the dry run names it; a real run refuses before anything changes, even with sudo at hand', () => {
    const plain = ensureUser('plain')
    const sudo = ensureUser('sudo')
    const roots = [newRoot(plain), newRoot(sudo)]
    const files = roots.map((r) => path.join(r, 'logs/worker/w.log'))
    for (const f of files) {
      const chattr = spawnSync('chattr', ['+i', f], { encoding: 'utf8' })
      if (chattr.status !== 0) throw new Error(`chattr +i failed here: ${chattr.stderr}`)
    }
    try {
      const before = roots.map((r) => snapshot(r))
      const dry = withoutSudoRule(plain, () => runCliAs<Json>(plain, ['--root', roots[0], '--dry-run', '--docker', 'off', '--json']))
      expect(dry.status).toBe(1)
      expect(dry.json?.errors.find((e) => e.path === 'logs/worker/w.log')?.message).toMatch(/it is immutable/)
      const refused = withoutSudoRule(plain, () => runCliAs<Json>(plain, ['--root', roots[0], '--force', '--docker', 'off', '--json']))
      expect(refused.status).toBe(2)
      expect(refused.json?.error?.message).toMatch(/logs\/worker\/w\.log cannot be deleted \(it is immutable.*by this user or root/)
      // No root pass gets past a flag: with sudo at hand, the run refuses all the same.
      const real = withSudoRule(sudo, () => runCliAs<Json>(sudo, ['--root', roots[1], '--force', '--docker', 'off', '--json']))
      expect(real.status).toBe(2)
      expect(real.json?.error?.code).toBe('ERR_PERMISSION')
      expect(roots.map((r) => snapshot(r))).toEqual(before)
    } finally {
      for (const f of files) spawnSync('chattr', ['-i', f])
    }
  })

  test('keep-running: a file a root process holds open is truncated in place by the sudo pass, which sees every process', () => {
    const user = ensureUser('sudo')
    const root = newRoot(user)
    const held = path.join(root, 'logs/worker/held.log')
    fs.writeFileSync(held, 'x'.repeat(1 << 20))
    // A root process appends to it, as a container's logger would: this user cannot see it in /proc.
    const writer = spawn('sh', ['-c', `exec 3>>'${held}'; while :; do echo tick >&3; sleep 0.05; done`], { stdio: 'ignore' })
    try {
      const ino = fs.statSync(held).ino
      const r = withSudoRule(user, () => runCliAs<Json>(user, ['--root', root, '--force', '--docker', 'off', '--keep-running', '--json']))
      expect(r.status).toBe(0)
      const j = r.json as Json
      expect(j.privileged?.ran).toBe(true)
      expect(j.totals.truncatedFiles).toBe(1)
      expect(j.targets.find((t) => t.path === 'logs')?.truncated.map((t) => t.path)).toEqual(['logs/worker/held.log'])
      expect(j.verification.ok).toBe(true)
      // The same file, emptied, still written to.
      expect(fs.statSync(held).ino).toBe(ino)
      expect(fs.statSync(held).size).toBeLessThan(1 << 20)
      const size = fs.statSync(held).size
      waitFor(() => fs.statSync(held).size > size, 'the writer to keep appending to the truncated file')
    } finally {
      writer.kill('SIGKILL')
    }
  })

  test('the action: privileged-files, the summary says how and why', () => {
    const user = ensureUser('sudo')
    const root = newRoot(user)
    const r = withSudoRule(user, () => runActionAs(user, { root, force: 'true', docker: 'off' }))
    expect(r.status).toBe(0)
    expect(r.outputs['privileged-files']).toBe('4')
    expect(r.outputs['deleted-files']).toBe('5')
    expect(r.outputs.verified).toBe('true')
    expect(r.summary).toMatch(/Privileged pass \(mode: auto\)/)
    expect(r.summary).toMatch(/ran as root through sudo/)
    expect(r.summary).toMatch(/<code>data\/redis\/dump\.rdb<\/code><\/td><td>999/)
    expectFinished(root)
  })
})

gate.describe('privileged pass with a running Compose stack', () => {
  let image: string
  let janitor: Janitor
  beforeAll(() => {
    image = ensureNodeImage()
  })
  beforeEach(() => {
    janitor = new Janitor()
    freshDirs()
  })
  afterEach(() => {
    janitor.cleanup()
    removeDirs()
  })

  /** A user's environment whose stack (started by root, as a deploy would) appends to logs/app/app.log as root. */
  function stack(user: TestUser, project: string): string {
    janitor.project(project)
    const base = treeFor(user, {})
    dirs.push(base)
    const root = path.join(base, project)
    fs.mkdirSync(root)
    fs.writeFileSync(path.join(root, 'docker-compose.yml'), [
      "version: '3.7'",
      'services:',
      '  app:',
      '    image: safe-purge-test:latest',
      '    init: true',
      '    command: ["sh", "-c", "mkdir -p /logs/app; while true; do echo tick >> /logs/app/app.log; sleep 0.2; done"]',
      '    volumes:',
      '      - ./logs:/logs',
      ''
    ].join('\n'))
    fs.mkdirSync(path.join(root, 'logs'))
    fs.mkdirSync(path.join(root, 'models'))
    fs.writeFileSync(path.join(root, 'models/m.bin'), 'model')
    must('chown', ['-R', `${user.uid}:${user.primaryGid}`, root])
    must(COMPOSE_V1, ['-p', project, 'up', '-d'], { cwd: root, timeoutMs: 60000 })
    waitFor(() => fs.existsSync(path.join(root, 'logs/app/app.log')), 'the app service to write logs/app/app.log')
    return root
  }

  test('the stack is stopped as the user, then the container pass removes what it wrote as root', () => {
    const user = ensureUser('docker')
    const root = stack(user, 'spprivstack')
    expect(fs.lstatSync(path.join(root, 'logs/app')).uid).toBe(0)
    const r = withoutSudoRule(user, () => runCliAs<Json>(user, ['--root', root, '--force', '--json', '--privileged-image', image]))
    expect(r.status).toBe(0)
    const j = r.json as Json
    expect(j.docker.stopped).toBe(true)
    expect(runningContainers('spprivstack')).toEqual([])
    expect(j.privileged).toMatchObject({ ran: true, via: 'container', targets: ['logs'] })
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([])
    expect(fs.readFileSync(path.join(root, 'models/m.bin'), 'utf8')).toBe('model')
  })

  test('no mode can finish them: refused before the stack is stopped or anything changes', () => {
    const user = ensureUser('docker')
    const root = stack(user, 'spprivrefuse')
    const models = snapshot(path.join(root, 'models'))
    const r = withoutSudoRule(user, () => runCliAs<Json>(user, ['--root', root, '--force', '--json', '--docker-timeout', '20', '--privileged-image', 'safe-purge-absent:never']))
    expect(r.status).toBe(2)
    expect(r.json?.error?.code).toBe('ERR_PERMISSION')
    expect(r.json?.error?.message).toMatch(/safe-purge-absent:never is not present and could not be pulled/)
    expect(runningContainers('spprivrefuse')).toHaveLength(1)
    expect(fs.statSync(path.join(root, 'logs/app/app.log')).size).toBeGreaterThan(0)
    expect(snapshot(path.join(root, 'models'))).toEqual(models)
  })
})
