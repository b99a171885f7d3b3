/**
 * The fallback used where /proc/self/fd does not exist (other platforms): path-based operations
 * that re-check the directory's device+inode before every operation and after descending.
 * Forced on Linux here with setAnchorMode('recheck').
 */
import fs from 'node:fs'
import path from 'node:path'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, survivors, tempDir } from './helpers/tree.js'
import { purge } from './helpers/engine.js'
import { anchorMode, setAnchorMode } from '../src/fsat.js'
import { createPolicy } from '../src/policy.js'

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

test('the fallback is really in use', () => {
  expect(anchorMode()).toBe('recheck')
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

test('a directory swapped for a symlink to models/ while it is being emptied: the re-check stops it', async () => {
  const report = await purge(root, {}, {
    executeHooks: {
      afterLstat(rel) {
        if (rel !== 'logs/sub/a.log' && rel !== 'logs/sub/b.log') return
        if (fs.lstatSync(path.join(root, 'logs/sub')).isSymbolicLink()) return
        fs.renameSync(path.join(root, 'logs/sub'), path.join(base, 'sub-moved'))
        fs.symlinkSync('../models', path.join(root, 'logs/sub'))
      }
    }
  })
  expect(snapshot(path.join(root, 'models'))).toEqual(models)
  expect(report.ok).toBe(false)
  expect(report.errors.some((e) => e.code === 'ECHANGED')).toBe(true)
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
