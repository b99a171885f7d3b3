/** The planner on real trees: what it counts, keeps and refuses, and that it changes nothing. */
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { Anchor, leaveCwd } from '../../src/fs/anchor.js'
import { createPolicy } from '../../src/engine/policy.js'
import { scanTargets } from '../../src/engine/plan.js'
import { makeEnv, MT5_TREE, makeTree, removeDir, snapshot } from '../helpers/tree.js'

let base: string
let root: string
beforeEach(() => ({ base, root } = makeEnv()))
afterEach(() => removeDir(base))

async function plan(targets: string[], count = true, extra: string[] = []) {
  const dir = Anchor.open(root)
  try {
    return await scanTargets(dir, root, targets, createPolicy(extra), count)
  } finally {
    dir.close()
    leaveCwd()
  }
}

test('counts files, bytes, directories and other entries; lists kept entries and the directories leading to them', async () => {
  makeTree(root, {
    'logs/run/models/w.bin': 'weights',
    'logs/run/deep/x.log': 'abc',
    'logs/run/deep/.env': 'S=1',
    'logs/a.ckpt': 'ck',
    'logs/link-to-models': { link: '../models' }
  })
  execFileSync('mkfifo', [path.join(root, 'logs/fifo')])
  const before = snapshot(root)
  const p = await plan(['logs'], true, ['*.ckpt'])
  expect(snapshot(root)).toEqual(before)
  const logs = p.targets[0]
  expect(logs.status).toBe('present')
  expect(logs.counted).toBe(true)
  // MT5 logs: trading.log, errors.log, archive/2026-01-01.log; plus run/deep/x.log.
  expect(logs.files).toBe(4)
  expect(logs.bytes).toBe(['logs/trading.log', 'logs/errors.log', 'logs/archive/2026-01-01.log'].reduce((n, f) => n + Buffer.byteLength(MT5_TREE[f] as string), 3))
  expect(logs.dirs).toBe(1) // archive; run, run/deep and logs itself lead to kept entries
  expect(logs.keptDirs).toBe(3)
  expect(logs.others).toBe(2) // the link and the FIFO
  expect(logs.kept).toEqual([
    { path: 'logs/a.ckpt', reason: 'protected' },
    { path: 'logs/run/deep/.env', reason: 'protected' },
    { path: 'logs/run/models', reason: 'protected' }
  ])
  expect(logs.keptTotal).toBe(3)
  expect(p.totals).toMatchObject({ files: 4, kept: 3 })
})

test('a link as a target is one entry, never followed; a missing target is reported, not an error', async () => {
  fs.symlinkSync('models', path.join(root, 'data/temp-link'))
  const p = await plan(['data/temp-link', 'nothing/here'])
  const [link, missing] = p.targets
  expect(link).toMatchObject({ path: 'data/temp-link', status: 'present', kind: 'symlink', files: 0, others: 1, keptTotal: 0 })
  expect(missing).toMatchObject({ path: 'nothing/here', status: 'missing' })
})

test('a target whose parent is a link out of the root is refused with the reason', async () => {
  const outside = path.join(base, 'elsewhere')
  fs.mkdirSync(path.join(outside, 'redis'), { recursive: true })
  fs.writeFileSync(path.join(outside, 'redis/dump.rdb'), 'x')
  fs.rmSync(path.join(root, 'data'), { recursive: true })
  fs.symlinkSync(outside, path.join(root, 'data'))
  const p = await plan(['data/redis'])
  expect(p.targets[0].status).toBe('refused')
  expect(p.targets[0].reason).toMatch(/link/)
  expect(p.targets[0].files).toBe(0)
})

test('without counting, a target is only found (device and inode), for a run nobody reviews first', async () => {
  const p = await plan(['logs'], false)
  const st = fs.lstatSync(path.join(root, 'logs'))
  expect(p.targets[0]).toMatchObject({ status: 'present', counted: false, files: 0, bytes: 0, ino: st.ino, dev: st.dev, kind: 'dir' })
})
