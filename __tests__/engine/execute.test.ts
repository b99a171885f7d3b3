/** The executor on real trees: it removes what the plan lists and nothing else, re-checking each target. */
import fs from 'node:fs'
import path from 'node:path'
import { Anchor } from '../../src/fs/anchor.js'
import { createPolicy } from '../../src/engine/policy.js'
import { scanTargets, type Plan } from '../../src/engine/plan.js'
import { executePlan, type Outcome } from '../../src/engine/execute.js'
import { makeEnv, exists, makeTree, removeDir, snapshot, survivors } from '../helpers/tree.js'
import { withAnchor } from '../helpers/engine.js'

let base: string
let root: string
beforeEach(() => ({ base, root } = makeEnv()))
afterEach(() => removeDir(base))

const policy = createPolicy([])

const withRoot = <T>(fn: (dir: Anchor) => Promise<T>): Promise<T> => withAnchor(root, fn)
const planOf = (targets: string[]): Promise<Plan> => withRoot((dir) => scanTargets(dir, root, targets, policy))
const execute = (plan: Plan): Promise<Outcome> => withRoot((dir) => executePlan(dir, plan, policy))

test('removes exactly what the plan counted; kept entries and everything outside the targets survive byte for byte', async () => {
  makeTree(root, { 'logs/run/models/w.bin': 'weights', 'logs/run/x.log': 'x', 'data/temp/.env': 'S=1' })
  const plan = await planOf(['logs', 'data/temp'])
  const before = snapshot(root)
  const outcome = await execute(plan)
  const keep = (rel: string): boolean => !/^(logs|data\/temp)(\/|$)/.test(rel) || ['logs', 'logs/run', 'logs/run/models', 'logs/run/models/w.bin', 'data/temp', 'data/temp/.env'].includes(rel)
  expect(survivors(before, snapshot(root), keep)).toEqual([])
  expect(exists(path.join(root, 'logs/run/x.log'))).toBe(false)
  expect(outcome.errors).toEqual([])
  expect(outcome.cancelled).toBe(false)
  expect(outcome.targets.map((t) => t.result)).toEqual(['purged-kept', 'purged-kept'])
  for (const [i, t] of outcome.targets.entries()) {
    const p = plan.targets[i]
    expect({ files: t.files, bytes: t.bytes, dirs: t.dirs, others: t.others, kept: t.kept, keptDirs: t.keptDirs })
      .toEqual({ files: p.files, bytes: p.bytes, dirs: p.dirs, others: p.others, kept: p.kept, keptDirs: p.keptDirs })
  }
})

test('a path the plan does not list is never touched, even inside the root', async () => {
  const plan = await planOf(['data/temp'])
  const before = snapshot(root)
  await execute(plan)
  expect(survivors(before, snapshot(root), (rel) => !/^data\/temp(\/|$)/.test(rel))).toEqual([])
  expect(exists(path.join(root, 'logs/trading.log'))).toBe(true)
})

test('a target replaced after planning is not touched: neither the new one nor the moved original', async () => {
  const plan = await planOf(['logs'])
  fs.renameSync(path.join(root, 'logs'), path.join(root, 'logs.moved'))
  makeTree(root, { 'logs/new.log': 'new' })
  const before = snapshot(root)
  const outcome = await execute(plan)
  expect(snapshot(root)).toEqual(before)
  expect(outcome.targets[0]).toMatchObject({ result: 'changed', files: 0 })
  expect(outcome.errors).toEqual([expect.objectContaining({ path: 'logs', code: 'ECHANGED' })])
})

test('a target gone since planning is missing, not an error', async () => {
  const plan = await planOf(['data/redis'])
  fs.rmSync(path.join(root, 'data/redis'), { recursive: true })
  const before = snapshot(root)
  const outcome = await execute(plan)
  expect(snapshot(root)).toEqual(before)
  expect(outcome.targets[0].result).toBe('missing')
  expect(outcome.errors).toEqual([])
})
