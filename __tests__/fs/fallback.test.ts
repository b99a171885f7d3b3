/**
 * The fallback used where /proc/self/fd does not exist (other platforms): path-based operations
 * that re-check the directory's device+inode before every operation and after descending.
 * Forced on Linux here with setAnchorMode('recheck').
 * Without the native helper in both projects (first import below), as on every platform it is not
 * built for: the JavaScript path with /proc anchoring ('proc') and with the fallback ('recheck').
 */
import '../helpers/js-path.js'
import fs from 'node:fs'
import path from 'node:path'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, survivors, tempDir } from '../helpers/tree.js'
import { purge } from '../helpers/engine.js'
import { Anchor, anchorMode, fastPath, setAnchorMode } from '../../src/fs/anchor.js'
import { statBatches } from '../../src/fs/entries.js'
import { flagsAt } from '../../src/fs/flags.js'
import { createPolicy } from '../../src/engine/policy.js'

let base: string
let root: string
let models: Map<string, unknown>
beforeAll(() => setAnchorMode('recheck'))
afterAll(() => setAnchorMode('proc'))
beforeEach(() => {
  base = tempDir('sp-fallback-')
  root = path.join(base, 'env')
  fs.mkdirSync(root)
  makeTree(root, MT5_TREE)
  makeTree(root, { 'logs/sub/a.log': 'a', 'logs/sub/b.log': 'b', 'logs/sub/deeper/c.log': 'c', 'logs/sub/models/keep.bin': 'kept' })
  models = snapshot(path.join(root, 'models'))
})
afterEach(() => removeDir(base))

test('the fallback is really in use, without the native helper', async () => {
  expect(anchorMode()).toBe('recheck')
  expect((await purge(root)).walker).toBe('off (path-based fallback anchoring)')
})

test('a normal purge works the same: protected entries stay, links are removed as links', async () => {
  makeTree(root, { 'logs/to-models': { link: '../models' }, 'logs/to-slash': { link: '/' } })
  const before = snapshot(root)
  const report = await purge(root)
  expect(report.ok).toBe(true)
  const policy = createPolicy([])
  const keep = (r: string): boolean => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(r) || policy.isProtected(r, true)
  expect(survivors(before, snapshot(root), keep)).toEqual([])
  expect(exists(path.join(root, 'logs/to-models'))).toBe(false)
  expect(snapshot(path.join(root, 'models'))).toEqual(models)
  expect(exists(path.join(root, 'logs/sub/models/keep.bin'))).toBe(true)
  expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
})

test('a parent of a target that is a symlink is refused', async () => {
  const elsewhere = path.join(base, 'elsewhere')
  makeTree(elsewhere, { 'redis/dump.rdb': 'keep' })
  removeDir(path.join(root, 'data'))
  fs.symlinkSync(elsewhere, path.join(root, 'data'))
  const report = await purge(root)
  expect(fs.readFileSync(path.join(elsewhere, 'redis/dump.rdb'), 'utf8')).toBe('keep')
  expect(report.targets.find((t) => t.path === 'data/redis')?.result).toBe('refused')
})

const WALKER = { recheck: 'off (path-based fallback anchoring)', proc: 'off (SAFE_PURGE_NATIVE=0)' } as const

// A decoy with the very names the purge is about to remove: when a directory's path is swapped
// for a link to it, only the check that the working directory is the opened one (stat('.') in
// fsat.ts enter(), with /proc: the chdir through /proc/self/fd/N) keeps the unlinks off it.
describe.each(['recheck', 'proc'] as const)('the JavaScript path anchored by %s, synchronous unlinks', (mode) => {
  beforeEach(() => setAnchorMode(mode))
  afterEach(() => setAnchorMode('recheck'))

  test('a directory swapped mid-purge for a link to a decoy with the same names: the decoy survives byte for byte', async () => {
    makeTree(root, { 'models/run-7/a.log': 'decoy a', 'models/run-7/b.log': 'decoy b', 'models/run-7/deeper/c.log': 'decoy c' })
    const decoy = snapshot(path.join(root, 'models'))
    let swapped = false
    const report = await purge(root, {}, {
      executeHooks: {
        afterLstat(rel) {
          // At the first entry of logs/sub, whichever the directory lists first.
          if (swapped || !rel.startsWith('logs/sub/')) return
          swapped = true
          fs.renameSync(path.join(root, 'logs/sub'), path.join(base, 'sub-moved'))
          fs.symlinkSync('../models/run-7', path.join(root, 'logs/sub'))
        }
      }
    })
    expect(swapped).toBe(true)
    expect(report.walker).toBe(WALKER[mode])
    expect(snapshot(path.join(root, 'models'))).toEqual(decoy)
    expect(fs.readlinkSync(path.join(root, 'logs/sub'))).toBe('../models/run-7')
    expect(fs.readFileSync(path.join(base, 'sub-moved/models/keep.bin'), 'utf8')).toBe('kept')
    expect(report.ok).toBe(false)
    if (mode === 'recheck') {
      // The path now leads to the decoy: every later chdir by path is caught.
      expect(report.errors.some((e) => e.code === 'ECHANGED' && e.path.startsWith('logs/sub'))).toBe(true)
    } else {
      // /proc/self/fd/N is the directory that was opened: the moved one is emptied, the decoy untouched.
      for (const gone of ['a.log', 'b.log', 'deeper']) expect(exists(path.join(base, 'sub-moved', gone))).toBe(false)
    }
  })
})

test('a directory swapped between lstat and open is detected by inode', async () => {
  makeTree(base, { 'outside/keep.txt': 'outside' })
  const report = await purge(root, {}, {
    executeHooks: {
      afterLstat(rel) {
        if (rel !== 'logs/sub') return
        fs.renameSync(path.join(root, 'logs/sub'), path.join(base, 'sub-moved'))
        fs.renameSync(path.join(base, 'outside'), path.join(root, 'logs/sub'))
      }
    }
  })
  expect(fs.readFileSync(path.join(root, 'logs/sub/keep.txt'), 'utf8')).toBe('outside')
  expect(report.errors).toEqual([expect.objectContaining({ path: 'logs/sub', code: 'ECHANGED' })])
})

// Node has no statx: without the helper, an entry's owner comes from its lstat and its immutable
// and append-only flags are unknown (-1 in a StatEntry, null from flagsAt), never "none".
test.each(['recheck', 'proc'] as const)('anchored by %s, the owner comes from the lstat and the flags are unknown', async (mode) => {
  setAnchorMode(mode)
  const logs = path.join(root, 'logs')
  const a = Anchor.open(logs)
  try {
    expect(fastPath()).toBeNull()
    if (process.getuid?.() === 0) fs.chownSync(path.join(logs, 'errors.log'), 1234, 1234)
    const seen: [string, number, number][] = []
    for await (const batch of statBatches(a, 'logs')) for (const e of batch) seen.push([e.text, e.uid, e.flags])
    const names = fs.readdirSync(logs).sort()
    expect(seen.sort()).toEqual(names.map((n) => [n, fs.lstatSync(path.join(logs, n)).uid, -1]))
    if (process.getuid?.() === 0) expect(seen.find(([n]) => n === 'errors.log')?.[1]).toBe(1234)
    const st = fs.lstatSync(path.join(logs, 'errors.log'))
    expect(flagsAt(a, 'errors.log')).toEqual({ uid: st.uid, mode: st.mode, flags: null })
    expect(flagsAt(a, null)).toEqual({ uid: fs.statSync(logs).uid, mode: fs.statSync(logs).mode, flags: null })
  } finally {
    a.close()
    setAnchorMode('recheck')
  }
})
