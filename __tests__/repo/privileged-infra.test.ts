/**
 * The privileged pass's test infrastructure itself (helpers/privileged.ts), with its real parts:
 * real users, a real sudo rule, the real docker daemon, files containers really wrote. If one of
 * these does not hold, a privileged-pass test could pass for the wrong reason (a "plain" user who
 * can reach the socket, a rule that outlives its test, a file its user could delete anyway).
 * Root only; as root, skipped without docker or sudo unless SAFE_PURGE_REQUIRE_DOCKER=1.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { REPO } from '../helpers/action.js'
import { exists, MT5_TREE, snapshot } from '../helpers/tree.js'
import {
  CONTAINER_UID, CONTAINER_USER, NODE_IMAGE, containerWrites, ensureNodeImage, ensureUser, nodeFor, nodeInImage, privilegedGate, readableDist, removeTree,
  runActionAs, runAs, runCliAs, sudoAs, sudoersFile, treeFor, withSudoRule, withoutSudoRule, type TestUser
} from '../helpers/privileged.js'
import { must, sh } from '../helpers/docker.js'

const gate = privilegedGate({ docker: true, sudo: true })
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version

/** A node script run as `user`: unlinks each path and prints `path code` (OK or the error code). */
function unlinkAs(user: TestUser, files: string[]): string[] {
  const code = 'for (const f of process.argv.slice(1)) { let c = "OK"; try { require("fs").unlinkSync(f) } catch (e) { c = e.code } console.log(`${f} ${c}`) }'
  const r = runAs(user, nodeFor(user), ['-e', code, ...files])
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
  return r.stdout.trim().split('\n')
}

gate.describe('privileged-pass test infrastructure', () => {
  const trees: string[] = []
  let sudoUser: TestUser
  let dockerUser: TestUser
  let plain: TestUser

  beforeAll(() => {
    sudoUser = ensureUser('sudo')
    dockerUser = ensureUser('docker')
    plain = ensureUser('plain')
  })
  afterAll(() => trees.forEach(removeTree))

  const tree = (user: TestUser, spec = {}): string => {
    const t = treeFor(user, spec)
    trees.push(t)
    return t
  }

  test('three distinct system users below the container uid; only sp-docker is in the docker group, and is spawned with its gid', () => {
    const dockerGid = Number(must('getent', ['group', 'docker']).split(':')[2])
    expect([sudoUser.name, dockerUser.name, plain.name]).toEqual(['sp-sudo', 'sp-docker', 'sp-plain'])
    expect(new Set([sudoUser.uid, dockerUser.uid, plain.uid]).size).toBe(3)
    for (const u of [sudoUser, dockerUser, plain]) {
      expect(u.uid).toBeLessThan(CONTAINER_UID)
      expect(u.uid).toBeGreaterThan(0)
      expect(u.primaryGid).not.toBe(CONTAINER_UID)
      expect(u.groups[0]).toBe(u.primaryGid)
      expect(must('getent', ['passwd', u.name]).trim().split(':').slice(5)).toEqual(['/nonexistent', expect.stringMatching(/\/(nologin|false)$/)])
    }
    expect(dockerUser.gid).toBe(dockerGid)
    expect(dockerUser.groups).toContain(dockerGid)
    for (const u of [sudoUser, plain]) {
      expect(u.gid).toBe(u.primaryGid)
      expect(u.groups).not.toContain(dockerGid)
    }
    // Idempotent: asked again (a fresh look, not this file's cache), the same ids.
    const again = JSON.parse(must('id', ['-u', dockerUser.name]))
    expect(again).toBe(dockerUser.uid)
    // What a spawned process really is: its uid, and (supplementary groups dropped) the spawn gid.
    const who = runAs(dockerUser, nodeFor(dockerUser), ['-e', 'console.log(JSON.stringify([process.getuid(), process.getgid(), process.getegid()]))'])
    expect(JSON.parse(who.stdout)).toEqual([dockerUser.uid, dockerGid, dockerGid])
  })

  test('sp-sudo passes `sudo -n true` only while its rule exists, and the rule is gone after, also when the callback throws', () => {
    const file = sudoersFile(sudoUser)
    withoutSudoRule(sudoUser, () => {
      const r = sudoAs(sudoUser, ['true'])
      expect(r.status).toBe(1)
      expect(r.stderr).toMatch(/a password is required/)
    })
    const inside = withSudoRule(sudoUser, () => {
      const st = fs.statSync(file)
      expect({ mode: st.mode & 0o7777, uid: st.uid }).toEqual({ mode: 0o440, uid: 0 })
      expect(fs.readFileSync(file, 'utf8')).toBe('sp-sudo ALL=(root) NOPASSWD: ALL\n')
      expect(sudoAs(sudoUser, ['true']).status).toBe(0)
      return sudoAs(sudoUser, ['id', '-u'])
    })
    expect(inside).toMatchObject({ status: 0, stdout: '0\n' })
    expect(exists(file)).toBe(false)
    expect(() => withSudoRule(sudoUser, () => {
      throw new Error('the test failed')
    })).toThrow('the test failed')
    expect(exists(file)).toBe(false)
    withoutSudoRule(sudoUser, () => expect(sudoAs(sudoUser, ['true']).status).toBe(1))
    // No draft left in /etc/sudoers.d either.
    expect(fs.readdirSync('/etc/sudoers.d').filter((f) => f.includes('safe-purge-test'))).toEqual([])
  })

  test('an async callback keeps the rule until its promise settles', async () => {
    const file = sudoersFile(sudoUser)
    await withSudoRule(sudoUser, async () => {
      await new Promise((r) => setImmediate(r))
      expect(exists(file)).toBe(true)
      expect(sudoAs(sudoUser, ['true']).status).toBe(0)
    })
    expect(exists(file)).toBe(false)
    await expect(withSudoRule(sudoUser, async () => {
      await new Promise((r) => setImmediate(r))
      throw new Error('rejected')
    })).rejects.toThrow('rejected')
    expect(exists(file)).toBe(false)
  })

  test('sp-docker and sp-plain never get a sudo rule, and have no sudo', () => {
    for (const u of [dockerUser, plain]) {
      expect(() => withSudoRule(u, () => 0)).toThrow(/never gets a sudo rule/)
      expect(exists(sudoersFile(u))).toBe(false)
      const r = sudoAs(u, ['true'])
      expect(r.status).toBe(1)
      expect(r.stderr).toMatch(/a password is required/)
    }
  })

  test('sp-docker can use the docker daemon; sp-plain and sp-sudo cannot (permission denied on the socket)', () => {
    const server = must('docker', ['version', '--format', '{{.Server.Version}}']).trim()
    const ok = runAs(dockerUser, 'docker', ['version', '--format', '{{.Server.Version}}'])
    expect({ status: ok.status, stdout: ok.stdout.trim() }).toEqual({ status: 0, stdout: server })
    for (const u of [plain, sudoUser]) {
      const r = runAs(u, 'docker', ['version', '--format', '{{.Server.Version}}'])
      expect(r.status).not.toBe(0)
      expect(r.stderr).toMatch(/permission denied/i)
    }
  })

  test('the node image runs this node as root with no network, a read-only filesystem and no capabilities, and runs the readable bundle the way the container pass does', () => {
    expect(ensureNodeImage()).toBe(NODE_IMAGE)
    expect(ensureNodeImage()).toBe(NODE_IMAGE) // already there: not rebuilt
    const probe = [
      'const fs = require("fs"), os = require("os")',
      'let write = "OK"; try { fs.writeFileSync("/tmp/x", "x") } catch (e) { write = e.code }',
      'const caps = /CapEff:\\s*(\\S+)/.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]',
      'console.log(JSON.stringify({ version: process.version, uid: process.getuid(), write, caps, nics: Object.keys(os.networkInterfaces()) }))'
    ].join('\n')
    const r = nodeInImage(NODE_IMAGE, probe)
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    const seen = JSON.parse(r.stdout)
    expect(seen).toEqual({ version: process.version, uid: 0, write: 'EROFS', caps: '0000000000000000', nics: ['lo'] })
    expect(seen.version.split('.')[0]).toBe(process.version.split('.')[0])
    // The pass's own command line, on the readable copy of dist/ mounted read-only.
    const root = tree(dockerUser)
    const cli = sh('docker', [
      'run', '--rm', '--network', 'none', '--read-only', '--user', '0:0', '--cap-drop', 'ALL', '--cap-add', 'DAC_OVERRIDE', '--cap-add', 'FOWNER',
      '--security-opt', 'no-new-privileges', '-v', `${root}:/env`, '-v', `${readableDist()}:/safe-purge:ro`, '--entrypoint', 'node', NODE_IMAGE, '/safe-purge/cli/index.js', '--version'
    ])
    expect({ status: cli.status, stdout: cli.stdout, stderr: cli.stderr }).toEqual({ status: 0, stdout: `safe-purge ${VERSION}\n`, stderr: '' })
  })

  test("containers write root-owned and 999-owned files into sp-docker's tree, which sp-docker cannot unlink (EACCES)", () => {
    const root = tree(dockerUser, { 'models/own.bin': 'mine', 'logs/.keep': '' })
    expect(fs.statSync(root)).toMatchObject({ uid: dockerUser.uid, gid: dockerUser.primaryGid })
    expect(fs.statSync(root).mode & 0o777).toBe(0o755)
    // As root (the busybox image's default user), then as the redis-like uid.
    containerWrites(root, 'mkdir -p logs/app data/redis && echo tick > logs/app/app.log && echo err > logs/errors.log && chown 999:999 data/redis')
    containerWrites(root, 'echo dump > data/redis/dump.rdb && mkdir data/redis/aof && echo x > data/redis/aof/1.aof', { user: CONTAINER_USER })
    const owner = (rel: string): [number, number] => {
      const st = fs.lstatSync(path.join(root, rel))
      return [st.uid, st.gid]
    }
    expect(owner('logs/app')).toEqual([0, 0])
    expect(owner('logs/app/app.log')).toEqual([0, 0])
    expect(owner('logs/errors.log')).toEqual([0, 0])
    expect(owner('logs')).toEqual([dockerUser.uid, dockerUser.primaryGid]) // already there: the container did not take it
    expect(owner('data/redis')).toEqual([CONTAINER_UID, CONTAINER_UID])
    expect(owner('data/redis/dump.rdb')).toEqual([CONTAINER_UID, CONTAINER_UID])
    expect(owner('data/redis/aof/1.aof')).toEqual([CONTAINER_UID, CONTAINER_UID])
    const stuck = ['logs/app/app.log', 'data/redis/dump.rdb', 'data/redis/aof/1.aof'].map((f) => path.join(root, f))
    expect(unlinkAs(dockerUser, stuck)).toEqual(stuck.map((f) => `${f} EACCES`))
    const rm = runAs(dockerUser, 'rm', ['-f', ...stuck])
    expect(rm.status).not.toBe(0)
    expect(rm.stderr).toMatch(/Permission denied/)
    for (const f of stuck) expect(exists(f)).toBe(true)
    // What the user owns, or sits in a folder it owns, it can delete: the EACCES comes from the containers' folders.
    const own = [path.join(root, 'models/own.bin'), path.join(root, 'logs/errors.log')]
    expect(unlinkAs(dockerUser, own)).toEqual(own.map((f) => `${f} OK`))
  })

  test('removeTree removes root-owned and 999-owned content, and immutable files where the filesystem keeps the flag', () => {
    const root = tree(plain, { 'a/b.txt': 'b' })
    containerWrites(root, 'mkdir -p logs && echo x > logs/x.log && mkdir -p data && chown 999:999 data')
    containerWrites(root, 'echo y > data/y', { user: CONTAINER_USER })
    const stuck = path.join(root, 'logs/x.log')
    // chattr +i needs a filesystem that keeps the flag (ext4 does; tmpfs and overlayfs may not).
    const immutable = spawnSync('chattr', ['+i', stuck]).status === 0
    if (immutable) expect(() => fs.unlinkSync(stuck)).toThrow(/EPERM/)
    removeTree(root)
    expect(exists(root)).toBe(false)
    expect(() => removeTree('/etc/sudoers.d')).toThrow(/not under/)
  })

  test('the readable bundle runs as sp-plain from a readable place: the CLI (--version, --help) and the action (a dry run)', () => {
    const dist = readableDist()
    expect(dist.startsWith(REPO)).toBe(false)
    const version = runCliAs(plain, ['--version'])
    expect(version).toMatchObject({ status: 0, stdout: `safe-purge ${VERSION}\n`, stderr: '' })
    const help = runCliAs(plain, ['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/safe-purge/)
    expect(help.stdout).toMatch(/--root/)
    // The action as sp-plain on its own tree: a dry run changes nothing and verifies.
    const root = tree(plain, MT5_TREE)
    const before = snapshot(root)
    const r = runActionAs(plain, { root, 'dry-run': 'true', docker: 'off' })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    expect(r.outputs.verified).toBe('false') // a dry run verifies nothing
    expect(snapshot(root)).toEqual(before)
  })
})
