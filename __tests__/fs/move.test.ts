/**
 * src/fs/move.ts on real trees: renames between two opened directories, the look for what a tree
 * must keep, and a directory's owner, mode and ACLs put on another. Each case runs anchored by
 * /proc (the native helper in the native project, the JavaScript path where it is off:
 * SAFE_PURGE_NATIVE=0) and by the path-based fallback ('recheck', never the helper).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Anchor, setAnchorMode, type AnchorMode } from '../../src/fs/anchor.js'
import { native } from '../../src/fs/native.js'
import { cloneDirMeta, probeKept, renameAt } from '../../src/fs/move.js'
import { systemNode } from '../helpers/action.js'
import { makeTree, removeDir, snapshot, tempDir } from '../helpers/tree.js'

const isRoot = process.getuid?.() === 0
const MODES: AnchorMode[] = ['proc', 'recheck']
/** Whether move.ts uses the native helper when anchored by `mode`. */
const helperIn = (mode: AnchorMode): boolean => mode === 'proc' && native() !== null
const has = (command: string): boolean => spawnSync('sh', ['-c', 'command -v "$0"', command], { stdio: 'ignore' }).status === 0
const openFds = (): number => fs.readdirSync('/proc/self/fd').length
/** A command's error output (or why it did not run), for a skip's reason. */
const failure = (r: ReturnType<typeof spawnSync>): string => (String(r.stderr ?? '') || r.error?.message || `status ${r.status}`).trim()

/**
 * Why the mount-point test cannot run here ('' when it can): it needs root, and both a tmpfs
 * and a bind mount in a temp dir. Probed once, when the file loads, so that the test is skipped
 * (saying why) rather than passing without testing anything.
 */
function mountProblem(): string {
  if (!isRoot) return 'mounting needs root'
  const dir = tempDir('sp-mount-probe-')
  const at = path.join(dir, 'mnt')
  const from = path.join(dir, 'from')
  fs.mkdirSync(at)
  fs.mkdirSync(from)
  for (const args of [['-t', 'tmpfs', 'tmpfs', at], ['--bind', from, at]]) {
    const r = spawnSync('mount', args, { encoding: 'utf8' })
    if (r.status !== 0) {
      removeDir(dir)
      return `mount ${args.join(' ')} fails here: ${failure(r)}`
    }
    const u = spawnSync('umount', [at], { encoding: 'utf8' })
    if (u.status !== 0) throw new Error(`the mount probe cannot unmount ${at} (left in place): ${failure(u)}`)
  }
  removeDir(dir)
  return ''
}

/**
 * Why the ACL test cannot run here ('' when it can): setfacl and getfacl, and a temp dir
 * whose filesystem takes an access and a default ACL. Probed once, when the file loads.
 */
function aclProblem(): string {
  const missing = ['setfacl', 'getfacl'].filter((c) => !has(c))
  if (missing.length > 0) return `${missing.join(' and ')} not installed`
  const dir = tempDir('sp-acl-probe-')
  try {
    for (const args of [['-m', 'u:1234:rwx,g:5678:r-x', dir], ['-d', '-m', 'u:1234:rwx', dir]]) {
      const r = spawnSync('setfacl', args, { encoding: 'utf8' })
      if (r.status !== 0) return `no POSIX ACLs in ${os.tmpdir()} (setfacl ${args.join(' ')}: ${failure(r)})`
    }
    return ''
  } finally {
    removeDir(dir)
  }
}

/**
 * `test` when `why` is '' (what it needs is there), else skipped with the reason in its title;
 * null: not a test of this jest project (the js-path project has no helper), not registered.
 */
const testIf =
  (why: string | null) =>
  (title: string, fn: jest.ProvidesCallback): void => {
    if (why === null) return
    if (why === '') test(title, fn)
    else test.skip(`${title} [skipped: ${why}]`, fn)
  }
/** The probes, once per file (the mount test also needs the helper: probe is native-only). */
const NO_MOUNT = native() === null ? null : mountProblem()
const NO_ACL = aclProblem()

/** What `call` threw: its code, syscall and message (or a note that it did not throw). */
function thrown(call: () => unknown): { code?: string; syscall?: string; message: string } {
  try {
    call()
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    return { code: e.code, syscall: e.syscall, message: e.message }
  }
  return { message: 'did not throw' }
}

let base: string
afterEach(() => {
  setAnchorMode('proc')
  removeDir(base)
})

describe.each(MODES)('renameAt anchored by %s', (mode) => {
  let a: string
  let b: string
  let A: Anchor
  let B: Anchor
  const NON_UTF8 = Buffer.from([0x66, 0xff, 0x0a])
  beforeEach(() => {
    setAnchorMode(mode)
    base = tempDir('sp-move-')
    a = path.join(base, 'a')
    b = path.join(base, 'b')
    makeTree(base, {
      'a/file.txt': 'file bytes\n',
      'a/sub/inner.txt': 'inner bytes\n',
      'a/link': { link: '../target' },
      b: null,
      'target/t.txt': 'target bytes\n',
      'outside/keep.txt': 'keep bytes\n'
    })
    A = Anchor.open(a)
    B = Anchor.open(b)
  })
  afterEach(() => {
    A.close()
    B.close()
  })

  test('moves a file, a directory, a link (as a link) and a name that is not UTF-8', () => {
    fs.writeFileSync(Buffer.concat([Buffer.from(`${a}/`), NON_UTF8]), 'not utf-8\n')
    const kept = { target: snapshot(path.join(base, 'target')), outside: snapshot(path.join(base, 'outside')) }
    const inodes = ['file.txt', 'sub', 'link'].map((n) => fs.lstatSync(path.join(a, n)).ino)
    renameAt(A, 'file.txt', B, 'file.txt', 'replace')
    renameAt(A, 'sub', B, 'sub2', 'replace')
    renameAt(A, 'link', B, 'link', 'replace')
    renameAt(A, NON_UTF8, B, Buffer.from([0x67, 0xfe]), 'replace')
    expect(fs.readdirSync(a)).toEqual([])
    expect(['file.txt', 'sub2', 'link'].map((n) => fs.lstatSync(path.join(b, n)).ino)).toEqual(inodes)
    expect(fs.readFileSync(path.join(b, 'file.txt'), 'utf8')).toBe('file bytes\n')
    expect(fs.readFileSync(path.join(b, 'sub2/inner.txt'), 'utf8')).toBe('inner bytes\n')
    expect(fs.lstatSync(path.join(b, 'link')).isSymbolicLink()).toBe(true)
    expect(fs.readlinkSync(path.join(b, 'link'))).toBe('../target')
    expect(fs.readFileSync(Buffer.concat([Buffer.from(`${b}/`), Buffer.from([0x67, 0xfe])]), 'utf8')).toBe('not utf-8\n')
    expect({ target: snapshot(path.join(base, 'target')), outside: snapshot(path.join(base, 'outside')) }).toEqual(kept)
  })

  test("the source's path swapped for a link after it was opened does not redirect the rename", () => {
    makeTree(base, { 'decoy/file.txt': 'decoy bytes\n' })
    const decoy = snapshot(path.join(base, 'decoy'))
    fs.renameSync(a, path.join(base, 'a-moved'))
    fs.symlinkSync('decoy', a)
    if (mode === 'proc') {
      // /proc/self/fd/N (or the fd itself) is the directory that was opened, wherever it went.
      renameAt(A, 'file.txt', B, 'file.txt', 'replace')
      expect(fs.readFileSync(path.join(b, 'file.txt'), 'utf8')).toBe('file bytes\n')
      expect(fs.existsSync(path.join(base, 'a-moved/file.txt'))).toBe(false)
    } else {
      // The fallback renames by path: the swap is caught before anything moves.
      expect(thrown(() => renameAt(A, 'file.txt', B, 'file.txt', 'replace')).code).toBe('ECHANGED')
      expect(fs.readFileSync(path.join(base, 'a-moved/file.txt'), 'utf8')).toBe('file bytes\n')
      expect(fs.readdirSync(b)).toEqual([])
    }
    expect(snapshot(path.join(base, 'decoy'))).toEqual(decoy)
    expect(fs.readlinkSync(a)).toBe('decoy')
  })

  test('noreplace refuses an existing file and an existing empty directory (EEXIST), leaving both untouched', () => {
    makeTree(b, { 'file.txt': 'other bytes\n', empty: null })
    const before = { a: snapshot(a), b: snapshot(b) }
    for (const [from, to] of [['file.txt', 'file.txt'], ['sub', 'empty'], ['link', 'file.txt']]) {
      expect(thrown(() => renameAt(A, from, B, to, 'noreplace'))).toEqual({ code: 'EEXIST', syscall: 'rename', message: expect.stringMatching(/^EEXIST: .*, rename '.*' -> '.*'$/) })
    }
    expect({ a: snapshot(a), b: snapshot(b) }).toEqual(before)
    // To a free name it moves, each kind as itself (without the helper: a link, then an unlink).
    const inodes = ['file.txt', 'sub', 'link'].map((n) => fs.lstatSync(path.join(a, n)).ino)
    for (const n of ['file.txt', 'sub', 'link']) renameAt(A, n, B, `${n}.new`, 'noreplace')
    expect(['file.txt', 'sub', 'link'].map((n) => fs.lstatSync(path.join(b, `${n}.new`)).ino)).toEqual(inodes)
    expect(fs.lstatSync(path.join(b, 'file.txt.new')).nlink).toBe(1)
    expect(fs.readlinkSync(path.join(b, 'link.new'))).toBe('../target')
    expect(fs.readFileSync(path.join(b, 'file.txt'), 'utf8')).toBe('other bytes\n')
    expect(fs.readdirSync(b).sort()).toEqual(['empty', 'file.txt', 'file.txt.new', 'link.new', 'sub.new'])
    expect(fs.readdirSync(a)).toEqual([])
  })

  test('exchange swaps two directories with the helper; without it, ENOTSUP and nothing moves', () => {
    makeTree(b, { 'other/o.txt': 'other bytes\n' })
    const before = { sub: snapshot(path.join(a, 'sub')), other: snapshot(path.join(b, 'other')) }
    const inodes = [fs.lstatSync(path.join(a, 'sub')).ino, fs.lstatSync(path.join(b, 'other')).ino]
    if (helperIn(mode)) {
      renameAt(A, 'sub', B, 'other', 'exchange')
      expect([fs.lstatSync(path.join(b, 'other')).ino, fs.lstatSync(path.join(a, 'sub')).ino]).toEqual(inodes)
      expect({ sub: snapshot(path.join(b, 'other')), other: snapshot(path.join(a, 'sub')) }).toEqual(before)
    } else {
      expect(thrown(() => renameAt(A, 'sub', B, 'other', 'exchange'))).toEqual({
        code: 'ENOTSUP',
        syscall: 'rename',
        message: expect.stringMatching(/^ENOTSUP: exchanging two entries needs the native helper/)
      })
      expect({ sub: snapshot(path.join(a, 'sub')), other: snapshot(path.join(b, 'other')) }).toEqual(before)
    }
    // An exchange with a name that does not exist moves nothing either.
    expect(thrown(() => renameAt(A, 'sub', B, 'missing', 'exchange')).code).toBe(helperIn(mode) ? 'ENOENT' : 'ENOTSUP')
  })

  test('a name that is not one entry is refused before anything moves', () => {
    makeTree(base, { 'b/x': null })
    const before = { a: snapshot(a), b: snapshot(b), outside: snapshot(path.join(base, 'outside')) }
    for (const [from, to] of [['../outside', 'o'], ['file.txt', 'x/file.txt'], ['.', 'dot'], ['file.txt', '..'], ['', 'e'], ['file.txt', 'nul\0']]) {
      expect(thrown(() => renameAt(A, from, B, to, 'replace')).message).toMatch(/^renameAt: .* is not one entry name$/)
    }
    expect({ a: snapshot(a), b: snapshot(b), outside: snapshot(path.join(base, 'outside')) }).toEqual(before)
  })
})

describe('probeKept', () => {
  let root: string
  beforeEach(() => {
    base = tempDir('sp-probe-')
    root = path.join(base, 'tree')
    fs.mkdirSync(root)
  })

  /** probeKept on `root` (opened for the call), checking that it leaves no fd open. */
  function probe(names: string[], dirNames: string[] = []): ReturnType<typeof probeKept> {
    const dir = Anchor.open(root)
    try {
      const fds = openFds()
      const r = probeKept(dir, names, dirNames)
      expect(openFds()).toBe(fds)
      return r
    } finally {
      dir.close()
    }
  }

  test("'unsupported' without the helper (js-path, the fallback anchoring) and for a name that is not ASCII", () => {
    makeTree(root, { 'x/models': 'm' })
    if (native() === null) expect(probe(['models'])).toBe('unsupported')
    else expect(probe(['models'])).toEqual({ path: 'x/models', reason: 'protected' })
    expect(probe(['äpfel'])).toBe('unsupported')
    setAnchorMode('recheck')
    expect(probe(['models'])).toBe('unsupported')
  })

  // Tests of the helper itself: the js-path project (no helper) has the 'unsupported' test above.
  const withHelper = testIf(native() !== null ? '' : null)

  withHelper('null on a tree of a few thousand entries with no match; a file never matches a dirNames entry', () => {
    for (let d = 0; d < 30; d++) {
      for (let e = 0; e < 4; e++) {
        const dir = path.join(root, `d${d}`, `e${e}`, 'deeper')
        fs.mkdirSync(dir, { recursive: true })
        for (let f = 0; f < 25; f++) fs.writeFileSync(path.join(dir, `f${f}.log`), `${d}.${e}.${f}`)
      }
    }
    makeTree(root, { 'd0/model': 'near', 'd1/models.bak': 'near', 'd2/logs': 'a file', 'd3/to-outside': { link: '../../outside' } })
    makeTree(base, { 'outside/models': 'outside', 'outside/logs/x': 'outside' })
    const before = snapshot(base)
    expect(probe(['models', '.env'], ['logs'])).toBeNull()
    expect(snapshot(base)).toEqual(before)
  })

  withHelper('finds a protected name at depth 5 whatever its case, the Kelvin sign as toLowerCase does', () => {
    makeTree(root, { 'a/b/c/d/Models': 'kept', 'a/b/c/d/other': 'x', 'z/file': 'z' })
    const before = snapshot(path.join(root, 'z'))
    expect(probe(['models'])).toEqual({ path: 'a/b/c/d/Models', reason: 'protected' })
    expect(probe(['MODELS'.toLowerCase(), 'keys'])).toEqual({ path: 'a/b/c/d/Models', reason: 'protected' })
    removeDir(path.join(root, 'a'))
    makeTree(root, { 'q/\u212Aeys': 'kelvin' }) // "\u212Aeys".toLowerCase() === "keys"
    expect(probe(['keys'])).toEqual({ path: 'q/\u212Aeys', reason: 'protected' })
    expect(fs.readFileSync(path.join(root, 'q/\u212Aeys'), 'utf8')).toBe('kelvin')
    expect(snapshot(path.join(root, 'z'))).toEqual(before)
  })

  withHelper('a dirNames entry matches a directory only; names match any entry, a link too, which is never entered', () => {
    makeTree(root, { 'x/logs': 'a file named logs' })
    expect(probe([], ['logs'])).toBeNull()
    makeTree(root, { 'y/logs/a.log': 'a' })
    expect(probe([], ['logs'])).toEqual({ path: 'y/logs', reason: 'protected' })
    removeDir(path.join(root, 'y'))
    // A link to a directory holding a match is not followed...
    makeTree(base, { 'outside/models/keep.bin': 'outside bytes' })
    makeTree(root, { 'w/to-outside': { link: '../../outside' } })
    expect(probe(['models'], ['logs'])).toBeNull()
    // ...and a link named like a protected entry is found as that name.
    makeTree(root, { 'v/models': { link: '../../outside/models' } })
    expect(probe(['models'])).toEqual({ path: 'v/models', reason: 'protected' })
    expect(probe([], ['models'])).toBeNull()
    expect(fs.readFileSync(path.join(base, 'outside/models/keep.bin'), 'utf8')).toBe('outside bytes')
  })

  withHelper('a directory it cannot open is unreadable (as root: probed as nobody)', () => {
    makeTree(root, { 'x/ok/f': 'f', 'x/locked/inside/models': 'kept' })
    const locked = path.join(root, 'x/locked')
    fs.chmodSync(locked, 0o000)
    try {
      if (!isRoot) {
        expect(probe(['models'])).toEqual({ path: 'x/locked', reason: 'unreadable', code: 'EACCES' })
        return
      }
      // Root reads everything: the helper runs as nobody (65534), from a copy it can read.
      fs.chmodSync(base, 0o755)
      const addon = path.join(base, 'fsat.node')
      fs.copyFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'native', 'fsat-linux-x64.node'), addon)
      fs.chmodSync(addon, 0o644)
      const script = `
        const fs = require('fs'), m = { exports: {} }
        process.dlopen(m, process.argv[1])
        const fd = fs.openSync(process.argv[2], fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW)
        const r = m.exports.probe(fd, Buffer.from('models'), Buffer.alloc(0))
        console.log(JSON.stringify(r && [r[0].toString(), r[1], r[2]]))`
      const out = execFileSync(systemNode(), ['-e', script, addon, root], { uid: 65534, gid: 65534, encoding: 'utf8' })
      expect(JSON.parse(out)).toEqual(['x/locked', 3, 13])
    } finally {
      fs.chmodSync(locked, 0o755)
    }
    expect(fs.readFileSync(path.join(locked, 'inside/models'), 'utf8')).toBe('kept')
  })

  const mountTest = testIf(NO_MOUNT)
  mountTest('a mount inside is a mount point: another filesystem, and a bind mount of the same one (root, where mount works)', () => {
    makeTree(root, { 'x/y/mnt': null, 'x/bind': null, 'x/f': 'f' })
    makeTree(base, { 'elsewhere/e.txt': 'elsewhere bytes' })
    const mnt = path.join(root, 'x/y/mnt')
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', mnt])
    try {
      expect(probe(['models'])).toEqual({ path: 'x/y/mnt', reason: 'mount-point' })
    } finally {
      execFileSync('umount', [mnt])
    }
    const bind = path.join(root, 'x/bind')
    execFileSync('mount', ['--bind', path.join(base, 'elsewhere'), bind])
    try {
      expect(fs.statSync(bind).dev).toBe(fs.statSync(root).dev)
      expect(probe(['models'])).toEqual({ path: 'x/bind', reason: 'mount-point' })
    } finally {
      execFileSync('umount', [bind])
    }
    expect(fs.readFileSync(path.join(base, 'elsewhere/e.txt'), 'utf8')).toBe('elsewhere bytes')
    expect(probe(['models'])).toBeNull()
  })

  withHelper('a tree 5000 levels deep: a stop at 4096 levels (ELOOP), no crash, no fd left open', () => {
    // Deeper than PATH_MAX: made by relative steps in a child process (mkdir, then chdir into
    // it), removed by rm -rf (which goes down by fd).
    try {
      const make = `process.chdir(process.argv[1]); for (let i = 0; i < 5000; i++) { fs.mkdirSync('d'); process.chdir('d') }; fs.writeFileSync('models', 'kept')`
      execFileSync(process.execPath, ['-e', make, root])
      const r = probe(['models'])
      expect(r).toEqual({ path: Array(4096).fill('d').join('/'), reason: 'unreadable', code: 'ELOOP' })
    } finally {
      execFileSync('rm', ['-rf', root])
    }
  })
})

describe.each(MODES)('cloneDirMeta anchored by %s', (mode) => {
  let src: string
  let dst: string
  beforeEach(() => {
    setAnchorMode(mode)
    base = tempDir('sp-clone-')
    src = path.join(base, 'src')
    dst = path.join(base, 'dst')
    makeTree(base, { 'src/keep.txt': 'keep bytes\n', dst: null })
  })

  /** cloneDirMeta(src, dst) through opened anchors: what it threw, if anything. */
  function clone(from = src, to = dst): ReturnType<typeof thrown> {
    const S = Anchor.open(from)
    const D = Anchor.open(to)
    try {
      return thrown(() => cloneDirMeta(S, D))
    } finally {
      S.close()
      D.close()
    }
  }

  test('mode 02750 and (as root) owner 1234:5678; without the helper ENOTSUP, owner and mode copied all the same', () => {
    fs.chmodSync(src, 0o2750)
    if (isRoot) fs.chownSync(src, 1234, 5678)
    const s = fs.statSync(src)
    const r = clone()
    if (helperIn(mode)) expect(r).toEqual({ message: 'did not throw' })
    else expect(r).toEqual({ code: 'ENOTSUP', syscall: 'cloneDirMeta', message: expect.stringMatching(/^ENOTSUP: ACLs cannot be copied without the native helper/) })
    const d = fs.statSync(dst)
    expect([d.mode & 0o7777, d.uid, d.gid]).toEqual([0o2750, s.uid, s.gid])
    if (isRoot) expect([d.uid, d.gid]).toEqual([1234, 5678])
    const after = fs.statSync(src)
    expect([after.mode, after.uid, after.gid]).toEqual([s.mode, s.uid, s.gid])
    expect(fs.readFileSync(path.join(src, 'keep.txt'), 'utf8')).toBe('keep bytes\n')
    expect(fs.readdirSync(dst)).toEqual([])
  })

  const aclTest = testIf(NO_ACL)
  aclTest('POSIX ACLs, access and default, are copied; one the source has not is removed (setfacl, the helper)', () => {
    const getfacl = (p: string): string => execFileSync('getfacl', ['--omit-header', '--absolute-names', p], { encoding: 'utf8' })
    execFileSync('setfacl', ['-m', 'u:1234:rwx,g:5678:r-x', src])
    execFileSync('setfacl', ['-d', '-m', 'u:1234:rwx', src])
    const acl = getfacl(src)
    const srcMode = fs.statSync(src).mode
    const r = clone()
    if (!helperIn(mode)) {
      expect(r.code).toBe('ENOTSUP')
      return
    }
    expect(r).toEqual({ message: 'did not throw' })
    expect(getfacl(dst)).toBe(acl)
    expect(fs.statSync(dst).mode).toBe(srcMode)
    expect(getfacl(src)).toBe(acl)
    // A directory made in one with a default ACL inherits it: a source without any takes it away.
    const plain = path.join(base, 'plain')
    const inheriting = path.join(dst, 'inheriting')
    fs.mkdirSync(plain, 0o755)
    fs.chmodSync(plain, 0o755)
    fs.mkdirSync(inheriting)
    expect(getfacl(inheriting)).toMatch(/^default:/m)
    expect(clone(plain, inheriting)).toEqual({ message: 'did not throw' })
    expect(getfacl(inheriting)).toBe(getfacl(plain))
    expect(fs.statSync(inheriting).mode).toBe(fs.statSync(plain).mode)
    expect(fs.readFileSync(path.join(src, 'keep.txt'), 'utf8')).toBe('keep bytes\n')
  })
})

describe('the helper refuses what no caller should hand it', () => {
  const describeAddon = process.platform === 'linux' && process.arch === 'x64' ? describe : describe.skip
  describeAddon('rename, probe and cloneDirMeta', () => {
    interface Fsat {
      rename(...args: unknown[]): number
      probe(...args: unknown[]): unknown
      cloneDirMeta(...args: unknown[]): number
    }
    const ADDON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'native', 'fsat-linux-x64.node')
    const h = createRequire(import.meta.url)(ADDON) as Fsat
    const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW

    test('names, flags and fds', () => {
      base = tempDir('sp-guards-move-')
      makeTree(base, { 'd/keep': 'keep bytes\n', victim: 'victim bytes\n' })
      const fd = fs.openSync(path.join(base, 'd'), O_DIR)
      try {
        const k = Buffer.from('keep')
        const msg = (call: () => unknown): string => {
          const { message } = thrown(call)
          return message
        }
        expect(msg(() => h.rename(fd, Buffer.from('../victim'), fd, k, 0))).toBe('rename: a name holds a slash')
        expect(msg(() => h.rename(fd, k, fd, Buffer.from('..'), 0))).toBe('rename: an empty name, or . or ..')
        expect(msg(() => h.rename(fd, k, fd, Buffer.from('x\0y'), 0))).toBe('rename: a name holds a NUL')
        expect(msg(() => h.rename(fd, 'keep', fd, k, 0))).toBe('rename: a name must be a Buffer')
        for (const flags of [3, 4, -1, 0.5, '1', undefined]) {
          expect(msg(() => h.rename(fd, k, fd, Buffer.from('new'), flags))).toBe('rename: flags must be 0, 1 (RENAME_NOREPLACE) or 2 (RENAME_EXCHANGE)')
        }
        expect(msg(() => h.rename(-100, k, fd, Buffer.from('new'), 0))).toMatch(/^rename: oldfd must be/)
        expect(msg(() => h.rename(fd, k, fd))).toBe('rename(oldfd, oldname, newfd, newname, flags)')
        expect(msg(() => h.probe(fd, Buffer.from('Models'), Buffer.alloc(0)))).toBe('probe: a name holds an uppercase letter (names are lowercase) in names')
        expect(msg(() => h.probe(fd, Buffer.from('a\0\0b'), Buffer.alloc(0)))).toBe('probe: an empty name, or . or .. in names')
        expect(msg(() => h.probe(fd, Buffer.alloc(0), Buffer.from('a/b')))).toBe('probe: a name holds a slash in dirNames')
        expect(msg(() => h.probe(fd, Buffer.alloc(0), '..'))).toBe('probe: dirNames must be a Buffer')
        expect(msg(() => h.probe(-100, Buffer.alloc(0), Buffer.alloc(0)))).toMatch(/^probe: fd must be/)
        expect(msg(() => h.cloneDirMeta(fd, -100))).toMatch(/^cloneDirMeta: dstfd must be/)
        // Lists with or without a final NUL; an empty list matches nothing.
        expect(h.probe(fd, Buffer.from('x\0keep\0'), Buffer.alloc(0))).toEqual([Buffer.from('keep'), 1, 0])
        expect(h.probe(fd, Buffer.from('x\0keep'), Buffer.alloc(0))).toEqual([Buffer.from('keep'), 1, 0])
        expect(h.probe(fd, Buffer.alloc(0), Buffer.from('keep'))).toBeNull()
        // A closed fd is an errno, never a throw, and nothing else is touched.
        const closed = fs.openSync(path.join(base, 'd'), O_DIR)
        fs.closeSync(closed)
        expect(h.rename(closed, k, fd, Buffer.from('new'), 0)).toBe(9)
        expect(h.cloneDirMeta(closed, fd)).toBe(9)
        expect(h.probe(closed, Buffer.alloc(0), Buffer.alloc(0))).toEqual([Buffer.alloc(0), 3, 9])
      } finally {
        fs.closeSync(fd)
      }
      expect(fs.readFileSync(path.join(base, 'victim'), 'utf8')).toBe('victim bytes\n')
      expect(fs.readdirSync(path.join(base, 'd'))).toEqual(['keep'])
      expect(fs.readFileSync(path.join(base, 'd/keep'), 'utf8')).toBe('keep bytes\n')
    })
  })
})
