/**
 * Strategy move through the runner's contract: the main step (node dist/index.js with INPUT_*)
 * moves the targets aside and saves its trash to GITHUB_STATE; the post step is the same file run
 * again with that state as STATE_*, as the runner runs `post:` at the end of the job. A cancelled
 * job (no post step, or a post step interrupted) leaves the trash to the next run.
 */
import fs from 'node:fs'
import path from 'node:path'
import { NODE24, reportOf, runAction, startAction } from '../helpers/action.js'
import { makeEnv, makeTree, removeDir, snapshot, survivors, exists, purgeable, trashRuns as allRuns, MT5_TARGETS, TRASH, type Snap } from '../helpers/tree.js'
import { stopAfter, stoppedMidPurge, freeze, thaw } from '../helpers/signals.js'
import { native } from '../../src/fs/native.js'

const TARGETS = MT5_TARGETS
// Without the native helper target directories are purged in place (their ACLs could not be
// copied to a replacement): the move is tested there with remove-target-dirs.
const MOVE: Record<string, string> = native() !== null ? { strategy: 'move' } : { strategy: 'move', 'remove-target-dirs': 'true' }

let base: string
let root: string
let before: Map<string, Snap>
beforeEach(() => {
  ;({ base, root } = makeEnv())
  before = snapshot(root)
})
afterEach(() => removeDir(base))

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({ root, force: 'true', docker: 'off', ...MOVE, ...extra })
const trashRuns = (): string[] => allRuns(root)

function expectProtectedUntouched(): void {
  expect(survivors(before, snapshot(root), (rel) => !purgeable(rel))).toEqual([])
}

test('main step moves, saves its trash as state; the post step deletes it, with its own summary table (Node 24)', () => {
  const main = runAction(inputs(), { node: NODE24 })
  expect(main.stderr).toBe('')
  expect(main.status).toBe(0)
  expect(main.outputs.verified).toBe('true')
  expect(JSON.parse(main.outputs.moved).sort()).toEqual([...TARGETS].sort())
  // Nothing was deleted by the main step: the post step counts the moved files.
  expect(main.outputs['deleted-files']).toBe('0')
  expect(main.summary).toMatch(/the post step deletes them at the end of the job/)
  expect(main.state.STATE_isPost).toBe('true')
  const state = JSON.parse(main.state.STATE_trash) as { root: string; run: string }
  expect(trashRuns()).toEqual([state.run])
  for (const t of ['logs', 'data/redis', 'data/temp']) expect(fs.readdirSync(path.join(root, t))).toEqual([])
  expect(exists(path.join(root, '.docker-compose-state'))).toBe(false)

  const post = runAction(inputs(), { node: NODE24, env: main.state })
  expect(post.stderr).toBe('')
  expect(post.status).toBe(0)
  expect(post.outputs['deleted-files']).toBe('6')
  expect(Number(post.outputs['freed-bytes'])).toBeGreaterThan(0)
  expect(post.summary).toMatch(/safe-purge post step: ✅/)
  expect(post.summary).toMatch(/<code>logs<\/code><\/td><td>3<\/td>/)
  const report = JSON.parse(fs.readFileSync(post.outputs.report, 'utf8')) as { ok: boolean; role: string; totals: { files: number } }
  expect(report).toMatchObject({ ok: true, role: 'post', totals: { files: 6 } })
  expect(trashRuns()).toEqual([])
  expectProtectedUntouched()
})

test('trash: now deletes within the main step: the outputs count every file, no state for a post step', () => {
  const main = runAction(inputs({ trash: 'now' }))
  expect(main.status).toBe(0)
  expect(main.outputs['deleted-files']).toBe('6')
  expect(main.state.STATE_trash).toBeUndefined()
  expect(trashRuns()).toEqual([])
  // The post step then has nothing to do.
  const post = runAction(inputs({ trash: 'now' }), { env: main.state })
  expect(post.status).toBe(0)
  expect(post.summary).toBe('')
  expectProtectedUntouched()
})

test('a job cancelled after the move (no post step): the next run deletes that trash first and reports it', () => {
  const main = runAction(inputs())
  expect(main.status).toBe(0)
  const { run } = JSON.parse(main.state.STATE_trash) as { run: string }
  makeTree(root, { 'logs/after-redeploy.log': 'new\n' })
  const next = runAction({ root, force: 'true', docker: 'off' })
  expect(next.status).toBe(0)
  expect(next.summary).toMatch(/Deleted first, left by earlier runs/)
  const rep = reportOf(next) as unknown as { trash: { leftovers: { run: string; ok: boolean; totals: { files: number } }[] } }
  expect(rep.trash.leftovers).toEqual([expect.objectContaining({ run, ok: true, totals: expect.objectContaining({ files: 6 }) })])
  expect(trashRuns()).toEqual([])
  expect(exists(path.join(root, 'logs/after-redeploy.log'))).toBe(false)
  expectProtectedUntouched()
})

test('a post step interrupted (SIGINT) stops at a safe point and fails; the next run finishes the trash', async () => {
  // Enough left after the stop that the purge yields to the event loop (every 20 ms) and sees the signal.
  const many = path.join(root, 'logs/many')
  fs.mkdirSync(many, { recursive: true })
  for (let i = 0; i < 20000; i++) fs.writeFileSync(path.join(many, `f${i}.log`), 'x')
  before = snapshot(root)
  const main = runAction(inputs())
  expect(main.status).toBe(0)
  const { run } = JSON.parse(main.state.STATE_trash) as { run: string }
  const post = startAction(inputs(), { env: { ...main.state, ...stopAfter(2000) } })
  await stoppedMidPurge(post.pid, path.join(root, TRASH, run))
  await freeze(post.pid)
  process.kill(post.pid, 'SIGINT')
  thaw(post.pid)
  const done = await post.done
  expect({ status: done.status, signal: done.signal }).toEqual({ status: 1, signal: null })
  expect(done.stdout).toMatch(/cancelled while the trash was deleted/)
  expect(trashRuns()).toEqual([run])
  // Never half a target back in place: the moved targets' paths are still clean.
  for (const t of TARGETS) expect(exists(path.join(root, t)) ? fs.readdirSync(path.join(root, t)) : []).toEqual([])
  const next = runAction({ root, force: 'true', docker: 'off' })
  expect(next.status).toBe(0)
  expect(trashRuns()).toEqual([])
  expectProtectedUntouched()
})
