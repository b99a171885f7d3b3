/**
 * "Purge logs, keep logs/keep": a protected path inside a target, anchored or a glob, is kept with
 * the directories leading to it, everything else in the target goes, and the run verifies it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, survivors, tempDir } from '../helpers/tree.js'
import { purge } from '../helpers/engine.js'

let base: string
let root: string
beforeEach(() => {
  base = tempDir('sp-inside-')
  root = path.join(base, 'env')
  fs.mkdirSync(root)
  makeTree(root, MT5_TREE)
})
afterEach(() => removeDir(base))

const TARGETS = ['data/redis', 'logs', 'data/temp']

test.each(['logs/keep/', '/logs/keep', 'logs/keep/**', 'logs/keep/*.bin'])('protected %s with ephemeral logs: logs/keep stays byte for byte, the rest of logs goes, verified', async (pattern) => {
  makeTree(root, { 'logs/keep/model.bin': 'keep me', 'logs/keep.txt': 'not kept', 'logs/deep/keep/other.log': 'not kept either' })
  const before = snapshot(root)
  const report = await purge(root, { protected: [pattern], ephemeral: TARGETS })
  expect(report.ok).toBe(true)
  expect(report.verified).toBe(true)
  expect(fs.readFileSync(path.join(root, 'logs/keep/model.bin'), 'utf8')).toBe('keep me')
  for (const gone of ['logs/keep.txt', 'logs/deep', 'logs/trading.log']) expect(exists(path.join(root, gone))).toBe(false)
  const stays = (rel: string): boolean => !/^(logs|data\/redis|data\/temp)(\/|$)/.test(rel) || rel === 'logs' || rel.startsWith('logs/keep/') || rel === 'logs/keep'
  expect(survivors(before, snapshot(root), stays)).toEqual([])
  // What the pattern names is kept: the directory itself, or the file inside it.
  const kept = report.targets.find((t) => t.path === 'logs')?.kept.map((k) => k.path)
  expect(kept).toEqual([pattern.endsWith('/') || pattern === '/logs/keep' ? 'logs/keep' : 'logs/keep/model.bin'])
})

test('an anchored glob (data/temp/*.ckpt) keeps the checkpoints and purges the rest of data/temp', async () => {
  makeTree(root, { 'data/temp/a.ckpt': 'a', 'data/temp/sub/b.ckpt': 'not anchored to data/temp/', 'data/temp/c.tmp': 'c' })
  const report = await purge(root, { protected: ['data/temp/*.ckpt'], ephemeral: TARGETS })
  expect(report.ok).toBe(true)
  expect(fs.readFileSync(path.join(root, 'data/temp/a.ckpt'), 'utf8')).toBe('a')
  expect(exists(path.join(root, 'data/temp/c.tmp'))).toBe(false)
  expect(exists(path.join(root, 'data/temp/sub'))).toBe(false)
})

test('a dry run lists the same kept entries a real run keeps', async () => {
  makeTree(root, { 'logs/keep/model.bin': 'keep me' })
  const dry = await purge(root, { protected: ['logs/keep/'], ephemeral: TARGETS, 'dry-run': true })
  const real = await purge(root, { protected: ['logs/keep/'], ephemeral: TARGETS })
  const keptOf = (r: typeof dry): string[] => (r.targets.find((t) => t.path === 'logs')?.kept ?? []).map((k) => k.path)
  expect(keptOf(dry)).toEqual(keptOf(real))
  expect(keptOf(real)).toContain('logs/keep')
})
