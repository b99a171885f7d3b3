/**
 * A target directory is emptied and stays, as `rm -rf logs/*` leaves it: its inode, owner, mode
 * (setgid included) and ACLs are what the host and its bind mounts rely on (a user's trial lost a
 * 2775 logs/ of uid 1000; Compose recreated it root:root 755 and a host writer failed). A target
 * that is a file, a link or a FIFO goes as before. `removeTargetDirs` keeps the seed's behaviour.
 * Plans and outcomes agree in both modes, and verification counts what is left inside a target.
 */
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { Anchor } from '../../src/fs/anchor.js'
import { createPolicy } from '../../src/engine/policy.js'
import { scanTargets, type Plan, type TargetPlan } from '../../src/engine/plan.js'
import { executePlan, type Outcome, type TargetOutcome } from '../../src/engine/execute.js'
import { takeFingerprint } from '../../src/engine/fingerprint.js'
import { verifyProtected } from '../../src/engine/verify.js'
import { exists, makeEnv, makeTree, removeDir, snapshot, survivors } from '../helpers/tree.js'
import { purge, withAnchor } from '../helpers/engine.js'

const isRoot = process.getuid?.() === 0
const rootOnly = isRoot ? test : test.skip
const TARGETS = ['logs', 'data/redis', 'data/temp', '.docker-compose-state']
const policy = createPolicy([])

let base: string
let root: string
beforeEach(() => ({ base, root } = makeEnv()))
afterEach(() => removeDir(base))

const outsideTargets = (rel: string): boolean => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(rel)
const counts = (t: TargetPlan | TargetOutcome) => ({ files: t.files, bytes: t.bytes, dirs: t.dirs, others: t.others, keptDirs: t.keptDirs, keptTarget: t.keptTarget, kept: t.kept })

const withRoot = <T>(fn: (dir: Anchor) => Promise<T>): Promise<T> => withAnchor(root, fn)

/** Plan, fingerprint, execute and verify, as a run does, with or without removing the target directories. */
function purgeAt(removeTargetDirs: boolean, targets = TARGETS, between?: () => void) {
  return withRoot(async (dir) => {
    const plan: Plan = await scanTargets(dir, root, targets, policy, true, undefined, { removeTargetDirs })
    const fp = takeFingerprint(dir, policy)
    const outcome: Outcome = await executePlan(dir, plan, policy)
    between?.()
    const verification = await verifyProtected(dir, policy, fp, plan, outcome, false)
    return { plan, outcome, verification }
  })
}

/** A target directory as its owner set it up: setgid 2775, and (as root) another user's. */
function ownedDir(rel: string, uid: number, gid: number): fs.Stats {
  const p = path.join(root, rel)
  fs.chmodSync(p, 0o2775)
  if (isRoot) fs.chownSync(p, uid, gid)
  return fs.lstatSync(p)
}
const ids = (st: fs.Stats) => ({ ino: st.ino, dev: st.dev, mode: st.mode, uid: st.uid, gid: st.gid })

test('a target directory stays, emptied in place: same inode, mode 2775 with its setgid bit, owner and group; a target that is a file goes', async () => {
  makeTree(root, { 'logs/run/deep/x.log': 'x', 'data/redis/appendonly.aof': 'aof' })
  const logs = ownedDir('logs', 1000, 1000)
  const redis = ownedDir('data/redis', 999, 999)
  const before = snapshot(root)
  const report = await purge(root)
  expect(report.ok).toBe(true)
  expect(report.verified).toBe(true)
  expect(ids(fs.lstatSync(path.join(root, 'logs')))).toEqual(ids(logs))
  expect(ids(fs.lstatSync(path.join(root, 'data/redis')))).toEqual(ids(redis))
  expect(fs.lstatSync(path.join(root, 'logs')).mode & 0o7777).toBe(0o2775)
  for (const dir of ['logs', 'data/redis', 'data/temp']) expect(fs.readdirSync(path.join(root, dir))).toEqual([])
  expect(exists(path.join(root, '.docker-compose-state'))).toBe(false)
  // Only what was inside is counted as removed: logs/archive, logs/run, logs/run/deep.
  expect(report.targets.find((t) => t.path === 'logs')).toMatchObject({ result: 'purged', dirs: 3, keptDirs: 0 })
  expect(report.totals.dirs).toBe(3)
  expect(survivors(before, snapshot(root), (rel) => outsideTargets(rel) || ['logs', 'data/redis', 'data/temp'].includes(rel))).toEqual([])
})

rootOnly('as root, a target directory of another user keeps that user: a process of that user can still write into it', async () => {
  const logs = path.join(root, 'logs')
  fs.chmodSync(base, 0o755)
  fs.chownSync(logs, 65534, 65534)
  const st = fs.lstatSync(logs)
  const report = await purge(root)
  expect(report.ok).toBe(true)
  expect(ids(fs.lstatSync(logs))).toEqual(ids(st))
  expect(fs.readdirSync(logs)).toEqual([])
  execFileSync('sh', ['-c', 'echo after > "$0/new.log"', logs], { uid: 65534, gid: 65534 })
  expect(fs.readFileSync(path.join(logs, 'new.log'), 'utf8')).toBe('after\n')
})

test('a dry run counts exactly what a real run removes: the target directories are not among the removed', async () => {
  makeTree(root, { 'logs/a/b/c.log': 'c', 'logs/models/keep.bin': 'kept', 'data/temp/t/u.tmp': 'u' })
  const dry = await purge(root, { 'dry-run': true, force: false })
  const real = await purge(root)
  const rows = (r: typeof dry) => r.targets.map((t) => [t.path, t.files, t.bytes, t.dirs, t.others, t.keptTotal, t.keptDirs])
  expect(rows(real)).toEqual(rows(dry))
  expect(real.totals).toEqual(dry.totals)
  // logs: archive, a, a/b go; logs stays (it leads to models/ now). data/temp: t goes.
  expect(real.targets.find((t) => t.path === 'logs')).toMatchObject({ dirs: 3, keptDirs: 1, keptTotal: 1 })
  expect(real.targets.find((t) => t.path === 'data/temp')).toMatchObject({ dirs: 1, keptDirs: 0 })
  expect(fs.readFileSync(path.join(root, 'logs/models/keep.bin'), 'utf8')).toBe('kept')
})

describe.each([false, true])('removeTargetDirs %s', (removeTargetDirs) => {
  test('plan and outcome agree; protected entries inside a target stay with their parents; everything outside survives byte for byte', async () => {
    makeTree(root, { 'logs/deep/a/.env': 'S=1', 'logs/deep/b/x.log': 'x', 'data/temp/sub/y.tmp': 'y' })
    const logsIno = fs.lstatSync(path.join(root, 'logs')).ino
    const before = snapshot(root)
    const { plan, outcome, verification } = await purgeAt(removeTargetDirs)
    expect(outcome.errors).toEqual([])
    expect(plan.removeTargetDirs).toBe(removeTargetDirs)
    expect(outcome.targets.map(counts)).toEqual(plan.targets.map(counts))
    expect(verification).toMatchObject({ missing: [], changed: [], leftovers: [] })
    expect(survivors(before, snapshot(root), (rel) => outsideTargets(rel) || policy.isProtected(rel, false))).toEqual([])
    // logs leads to a kept entry, so it stays in both modes, with the same inode.
    expect(fs.lstatSync(path.join(root, 'logs')).ino).toBe(logsIno)
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual(['deep'])
    expect(fs.readdirSync(path.join(root, 'logs/deep'))).toEqual(['a'])
    expect(fs.readFileSync(path.join(root, 'logs/deep/a/.env'), 'utf8')).toBe('S=1')
    const logs = outcome.targets[0]
    expect(logs).toMatchObject({ result: 'purged-kept', keptTotal: 1, keptDirs: 3, keptTarget: !removeTargetDirs })
    const temp = outcome.targets[2]
    if (removeTargetDirs) {
      for (const gone of ['data/redis', 'data/temp']) expect(exists(path.join(root, gone))).toBe(false)
      expect(temp).toMatchObject({ result: 'purged', dirs: 2, keptDirs: 0, keptTarget: false })
    } else {
      for (const dir of ['data/redis', 'data/temp']) expect(fs.readdirSync(path.join(root, dir))).toEqual([])
      expect(temp).toMatchObject({ result: 'purged', dirs: 1, keptDirs: 0, keptTarget: true })
    }
    expect(exists(path.join(root, '.docker-compose-state'))).toBe(false)
  })

  test('a target that is a file, a link or a FIFO is removed as such, never followed; what it points to survives', async () => {
    removeDir(path.join(root, 'data/temp'))
    removeDir(path.join(root, 'data/redis'))
    fs.symlinkSync('../models', path.join(root, 'data/temp'))
    execFileSync('mkfifo', [path.join(root, 'data/redis')])
    const before = snapshot(root)
    const { outcome, verification } = await purgeAt(removeTargetDirs)
    expect(outcome.errors).toEqual([])
    for (const gone of ['data/temp', 'data/redis', '.docker-compose-state']) expect(exists(path.join(root, gone))).toBe(false)
    expect(outcome.targets.map((t) => [t.path, t.files, t.others, t.keptTarget])).toEqual([
      ['logs', 3, 0, !removeTargetDirs], ['data/redis', 0, 1, false], ['data/temp', 0, 1, false], ['.docker-compose-state', 1, 0, false]
    ])
    expect(verification.leftovers).toEqual([])
    expect(survivors(before, snapshot(root), outsideTargets)).toEqual([])
  })

  test('verification: a file written into a target after the purge is one entry left in it (not 2), and fails the check', async () => {
    const { verification } = await purgeAt(removeTargetDirs, ['logs'], () => makeTree(root, { 'logs/late.log': 'late' }))
    expect(verification.leftovers).toEqual([{ path: 'logs', remaining: 1 }])
  })
})
