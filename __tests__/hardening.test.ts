/**
 * Hostile trees and races, built for real. Each test asserts what survives byte for byte, and
 * would fail if the guard it names were removed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync, spawnSync } from 'node:child_process'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, survivors, tempDir } from './helpers/tree.js'
import { purge } from './helpers/engine.js'
import { NOT_EMPTY_RETRIES } from '../src/execute.js'

const isRoot = process.getuid?.() === 0
const rootOnly = isRoot ? test : test.skip

let base: string
let root: string
let models: Map<string, unknown>
beforeEach(() => {
  base = tempDir('sp-hard-')
  root = path.join(base, 'env')
  fs.mkdirSync(root)
  makeTree(root, MT5_TREE)
  makeTree(root, { 'logs/sub/a.log': 'a', 'logs/sub/deeper/b.log': 'b' })
  models = snapshot(path.join(root, 'models'))
})
afterEach(() => removeDir(base))

const modelsIntact = (): void => expect(snapshot(path.join(root, 'models'))).toEqual(models)

describe('races between check and delete (staged with executor hooks)', () => {
  test('a directory inside a target swapped for a symlink to models/ between lstat and open: not followed', async () => {
    const report = await purge(root, {}, {
      executeHooks: {
        afterLstat(rel) {
          if (rel !== 'logs/sub') return
          fs.renameSync(path.join(root, 'logs/sub'), path.join(base, 'sub-moved'))
          fs.symlinkSync('../models', path.join(root, 'logs/sub'))
        }
      }
    })
    modelsIntact()
    expect(fs.readlinkSync(path.join(root, 'logs/sub'))).toBe('../models')
    expect(report.ok).toBe(false)
    expect(report.errors.map((e) => e.path)).toContain('logs/sub')
  })

  test('a directory from outside moved into place between lstat and open: detected by inode, contents untouched', async () => {
    makeTree(base, { 'outside/keep.txt': 'outside data' })
    const report = await purge(root, {}, {
      executeHooks: {
        afterLstat(rel) {
          if (rel !== 'logs/sub') return
          fs.renameSync(path.join(root, 'logs/sub'), path.join(base, 'sub-moved'))
          fs.renameSync(path.join(base, 'outside'), path.join(root, 'logs/sub'))
        }
      }
    })
    expect(fs.readFileSync(path.join(root, 'logs/sub/keep.txt'), 'utf8')).toBe('outside data')
    expect(report.errors).toEqual([expect.objectContaining({ path: 'logs/sub', code: 'ECHANGED' })])
    expect(report.ok).toBe(false)
  })

  test('a target replaced by a symlink to models/ between plan and execute: refused as changed', async () => {
    const report = await purge(root, {}, {
      executeHooks: {
        beforeTarget(rel) {
          if (rel !== 'logs') return
          fs.renameSync(path.join(root, 'logs'), path.join(base, 'logs-moved'))
          fs.symlinkSync('models', path.join(root, 'logs'))
        }
      }
    })
    modelsIntact()
    expect(fs.readlinkSync(path.join(root, 'logs'))).toBe('models')
    expect(report.targets.find((t) => t.path === 'logs')?.result).toBe('changed')
    expect(report.ok).toBe(false)
  })

  test('a directory inside a target replaced by a symlink to models/ after the plan: only the link goes', async () => {
    const report = await purge(root, {}, {
      executeHooks: {
        beforeTarget(rel) {
          if (rel !== 'logs') return
          removeDir(path.join(root, 'logs/sub'))
          fs.symlinkSync('../models', path.join(root, 'logs/sub'))
        }
      }
    })
    modelsIntact()
    expect(exists(path.join(root, 'logs'))).toBe(false)
    expect(report.ok).toBe(true)
  })
})

describe('a writer that keeps filling a directory', () => {
  test('one late file: the directory is emptied again and removed', async () => {
    let calls = 0
    const report = await purge(root, {}, {
      executeHooks: {
        beforeRmdir(rel) {
          if (rel === 'logs/sub' && calls++ === 0) fs.writeFileSync(path.join(root, 'logs/sub/late.log'), 'late')
        }
      }
    })
    expect(exists(path.join(root, 'logs'))).toBe(false)
    expect(report.ok).toBe(true)
    expect(report.targets.find((t) => t.path === 'logs')?.files).toBe(6)
  })

  test('a writer that never stops: bounded retries, then ENOTEMPTY reported with a hint', async () => {
    let n = 0
    const report = await purge(root, {}, {
      executeHooks: {
        beforeRmdir(rel) {
          if (rel === 'logs/sub') fs.writeFileSync(path.join(root, `logs/sub/late-${n++}.log`), 'late')
        }
      }
    })
    expect(n).toBe(NOT_EMPTY_RETRIES + 1)
    expect(report.ok).toBe(false)
    expect(report.errors).toEqual([expect.objectContaining({ path: 'logs/sub', code: 'ENOTEMPTY', hint: expect.stringMatching(/stop it/) })])
    modelsIntact()
  })
})

describe('special files are removed without being opened', () => {
  rootOnly('FIFOs, sockets and device nodes', async () => {
    execFileSync('mkfifo', [path.join(root, 'logs/fifo')])
    execFileSync('mknod', [path.join(root, 'logs/null-dev'), 'c', '1', '3'])
    execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path.join(root, 'logs/sock'))})`])
    const report = await purge(root)
    expect(exists(path.join(root, 'logs'))).toBe(false)
    expect(report.targets.find((t) => t.path === 'logs')?.others).toBe(3)
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true)
    expect(report.ok).toBe(true)
  })
})

describe('mount points inside a target are never crossed', () => {
  rootOnly('a tmpfs mounted in logs/ keeps its files; the rest of logs goes', async () => {
    const mnt = path.join(root, 'logs/mnt')
    fs.mkdirSync(mnt)
    const mounted = spawnSync('mount', ['-t', 'tmpfs', 'tmpfs', mnt])
    if (mounted.status !== 0) throw new Error(`cannot mount tmpfs as root: ${mounted.stderr}`)
    try {
      fs.writeFileSync(path.join(mnt, 'on-other-fs.txt'), 'other filesystem')
      const report = await purge(root)
      expect(fs.readFileSync(path.join(mnt, 'on-other-fs.txt'), 'utf8')).toBe('other filesystem')
      expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
      const logs = report.targets.find((t) => t.path === 'logs')
      expect(logs?.kept).toEqual([{ path: 'logs/mnt', reason: 'mount-point' }])
      expect(logs?.result).toBe('purged-kept')
    } finally {
      spawnSync('umount', [mnt])
    }
  })
})

describe('bind mounts (same filesystem, same st_dev) are mounts too', () => {
  rootOnly('a bind mount inside a target is kept, and what it shows from outside the root survives', async () => {
    makeTree(base, { 'outside/precious.db': 'outside the root', 'outside/sub/more.bin': 'more' })
    const mnt = path.join(root, 'logs/cache')
    fs.mkdirSync(mnt)
    expect(spawnSync('mount', ['--bind', path.join(base, 'outside'), mnt]).status).toBe(0)
    try {
      const dry = await purge(root, { 'dry-run': true })
      expect(dry.targets.find((t) => t.path === 'logs')?.kept).toEqual([{ path: 'logs/cache', reason: 'mount-point' }])
      const report = await purge(root)
      expect(fs.readFileSync(path.join(base, 'outside/precious.db'), 'utf8')).toBe('outside the root')
      expect(fs.readFileSync(path.join(base, 'outside/sub/more.bin'), 'utf8')).toBe('more')
      expect(report.targets.find((t) => t.path === 'logs')?.kept).toEqual([{ path: 'logs/cache', reason: 'mount-point' }])
      expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
    } finally {
      spawnSync('umount', [mnt])
    }
  })

  rootOnly('a target that is itself a bind mount is refused, and its contents survive', async () => {
    makeTree(base, { 'outside/precious.db': 'outside the root' })
    const mnt = path.join(root, 'data/redis')
    expect(spawnSync('mount', ['--bind', path.join(base, 'outside'), mnt]).status).toBe(0)
    try {
      const report = await purge(root)
      expect(fs.readFileSync(path.join(base, 'outside/precious.db'), 'utf8')).toBe('outside the root')
      const t = report.targets.find((x) => x.path === 'data/redis')
      expect(t?.result).toBe('refused')
      expect(t?.reason).toMatch(/mount point/)
      expect(report.ok).toBe(false)
      expect(exists(path.join(root, 'logs'))).toBe(false)
    } finally {
      spawnSync('umount', [mnt])
    }
  })
})

describe('permission faults, as an unprivileged user', () => {
  rootOnly('a dry run shows what a real run could not delete, and fails saying so', async () => {
    fs.chmodSync(base, 0o755)
    makeTree(root, { 'logs/locked/inside.log': 'x' })
    execFileSync('chown', ['-R', '65534:65534', root])
    const before = snapshot(root)
    fs.chmodSync(path.join(root, 'logs/locked'), 0o000)
    const { runAction } = await import('./helpers/action.js')
    const r = runAction({ root, 'dry-run': 'true', docker: 'off' }, { env: { HOME: base }, workspace: base, asUser: { uid: 65534, gid: 65534 } })
    fs.chmodSync(path.join(root, 'logs/locked'), 0o755)
    expect(snapshot(root)).toEqual(before)
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/::error::1 entr\(ies\) a real run could not delete; first: logs\/locked: cannot be read: EACCES/)
  })

  rootOnly('undeletable entries fail the run, each named with a recovery hint; everything else is purged', async () => {
    const nobody = { uid: 65534, gid: 65534 }
    fs.chmodSync(base, 0o755)
    makeTree(root, { 'logs/root-owned/locked.log': 'root', 'logs/read-only/ro.log': 'ro', 'data/temp/more.tmp': 'x' })
    execFileSync('chown', ['-R', `${nobody.uid}:${nobody.gid}`, root])
    execFileSync('chown', ['-R', '0:0', path.join(root, 'logs/root-owned')])
    fs.chmodSync(path.join(root, 'logs/read-only'), 0o555)
    const before = snapshot(root)
    const { runAction } = await import('./helpers/action.js')
    const r = runAction(
      { root, force: 'true', docker: 'off' },
      { env: { HOME: base }, workspace: base, asUser: nobody }
    )
    expect(r.status).toBe(1)
    expect(survivors(before, snapshot(root), (rel) => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(rel))).toEqual([])
    expect(exists(path.join(root, 'logs/root-owned/locked.log'))).toBe(true)
    expect(exists(path.join(root, 'logs/read-only/ro.log'))).toBe(true)
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
    expect(exists(path.join(root, 'data/temp'))).toBe(false)
    const report = JSON.parse(fs.readFileSync(r.outputs.report, 'utf8'))
    expect(report.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual([
      'logs/read-only/ro.log:EACCES',
      'logs/root-owned/locked.log:EACCES'
    ])
    expect(report.errors[0].hint).toMatch(/permissions/)
    expect(r.stdout).toMatch(/::error::2 deletion error/)
    fs.chmodSync(path.join(root, 'logs/read-only'), 0o755)
  })
})

describe('thread-pool unlinks (what a slow, cold disk switches to)', () => {
  test('the same purge, the same survivors, the same counts', async () => {
    const policy = (await import('../src/policy.js')).createPolicy([])
    makeTree(root, { 'logs/models/keep.bin': 'kept', 'logs/many/a.log': 'a', 'logs/many/b.log': 'bb', 'logs/link': { link: '../models' } })
    const before = snapshot(root)
    const report = await purge(root, {}, { executeHooks: { asyncUnlink: true } })
    const keep = (r: string): boolean => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(r) || policy.isProtected(r, true)
    expect(survivors(before, snapshot(root), keep)).toEqual([])
    expect(report.ok).toBe(true)
    const logs = report.targets.find((t) => t.path === 'logs')
    expect(logs).toMatchObject({ files: 7, others: 1, result: 'purged-kept' })
    modelsIntact()
  })

  rootOnly('errors are still collected per path, and the rest is purged', async () => {
    makeTree(root, { 'logs/stuck.log': 'x' })
    const stuck = path.join(root, 'logs/stuck.log')
    expect(spawnSync('chattr', ['+i', stuck]).status).toBe(0)
    try {
      const report = await purge(root, {}, { executeHooks: { asyncUnlink: true } })
      expect(report.errors).toEqual([expect.objectContaining({ path: 'logs/stuck.log', code: 'EPERM' })])
      expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
      expect(report.ok).toBe(false)
    } finally {
      spawnSync('chattr', ['-i', stuck])
    }
  })

  test('a swap between lstat and unlink cannot redirect it: the unlink goes through the opened directory', async () => {
    makeTree(base, { 'outside/victim.log': 'outside' })
    const report = await purge(root, {}, {
      executeHooks: {
        asyncUnlink: true,
        afterLstat(rel) {
          if (rel !== 'logs/sub/a.log') return
          fs.renameSync(path.join(root, 'logs/sub'), path.join(base, 'sub-moved'))
          fs.symlinkSync(path.join(base, 'outside'), path.join(root, 'logs/sub'))
          fs.writeFileSync(path.join(base, 'outside/a.log'), 'outside, same name')
        }
      }
    })
    expect(fs.readFileSync(path.join(base, 'outside/a.log'), 'utf8')).toBe('outside, same name')
    expect(fs.readFileSync(path.join(base, 'outside/victim.log'), 'utf8')).toBe('outside')
    expect(exists(path.join(base, 'sub-moved/a.log'))).toBe(false)
    expect(report.verification.missing).toEqual([])
  })
})
