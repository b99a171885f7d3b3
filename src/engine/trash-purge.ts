/**
 * Deleting the trash, as the engine's callers need it: one run's trash (the action's post step,
 * the CLI's background process, `trash: now`), the trashes earlier runs left behind (killed,
 * cancelled: the next run deletes them before anything else), and what `--status` shows. Each
 * deletion claims its run first (trash.ts), is measured (files, bytes, what the filesystem
 * gained) and leaves a report next to the run directories. A deletion that could not remove or
 * put back everything renames the run `<run>.kept`, for a person to check: later runs warn of it
 * instead of failing on it again and again.
 */
import { leaveCwd, unlinkAt, type Anchor, type NodeId } from '../fs/anchor.js'
import { freeBytes } from '../fs/space.js'
import { defaultGuardEnv, guardRoot, openRoot, type RootInfo } from '../fs/root-guard.js'
import { createPolicy, type Policy } from './policy.js'
import { purgeTrashRun, quarantine, type TrashPurge } from './execute-trash.js'
import { emptyOutcome, type ExecuteOptions } from './execute.js'
import { addTally, emptyHeldTally, emptyTally } from './plan.js'
import {
  TRASH_DIR, claimRun, isRunId, keptRuns, listRuns, oldResults, openTrash, readResults, refuseForeign, workerOf, workerAlive, writeResult,
  type TrashManifest, type TrashReport, type TrashWorker
} from './trash.js'
import { VERSION } from './report.js'
import { errorMessage, fail } from '../common/errors.js'
import type { OptionNames } from '../common/options.js'

export type { TrashReport }

/** The caller's policy with the patterns and exact files of the run that made the trash: both protect. */
export function unionPolicy(policy: Policy | null): (m: TrashManifest) => Policy {
  return (m) => createPolicy([...(policy?.extra ?? []), ...m.protected], [...(policy?.exact ?? []), ...m.exact])
}

/**
 * Claims (for `me`) and deletes run `run` of the root's trash; null when a standing claim holds
 * it, or it is gone (a later run deleted it). Writes the report into the trash.
 */
export async function deleteTrash(rootDir: Anchor, run: string, me: TrashWorker, policy: Policy | null, opts: ExecuteOptions = {}): Promise<TrashReport | null> {
  const started = new Date()
  const failed = (why: string): TrashReport => reportOf(run, me.role, started, emptyPurge(run, [`trash ${run}: ${why}`]), null)
  let trash: Anchor | null
  try {
    trash = openTrash(rootDir, false)
  } catch (err) {
    return failed(errorMessage(err))
  }
  if (trash === null) return null
  try {
    let runDir: Anchor
    try {
      runDir = trash.openChild(Buffer.from(run))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      return failed(`cannot be opened: ${errorMessage(err)}`)
    }
    try {
      refuseForeign(runDir, `${TRASH_DIR}/${run}`)
      if (claimRun(runDir, me) === 'busy') return null
    } catch (err) {
      return failed(errorMessage(err))
    } finally {
      runDir.close()
    }
    const free = freeBytes(rootDir)
    let purge: TrashPurge
    try {
      purge = await purgeTrashRun(rootDir, trash, run, unionPolicy(policy), opts)
    } catch (err) {
      purge = emptyPurge(run, [`trash ${run}: ${errorMessage(err)}`])
    }
    if (!purge.done && !purge.cancelled) {
      const kept = quarantine(trash, run)
      purge.failures.push(kept ? `what could not be deleted or put back stays in ${TRASH_DIR}/${run}.kept: check it, then delete it by hand` : `${TRASH_DIR}/${run} could not be set aside as ${run}.kept`)
    }
    const report = reportOf(run, me.role, started, purge, freeBytes(rootDir) - free)
    try {
      writeResult(trash, run, report)
      for (const old of oldResults(trash)) unlinkAt(trash, old)
    } catch {
      // The report is also the caller's to show: a trash it cannot write into is no failure of the purge.
    }
    return report
  } finally {
    trash.close()
  }
}

function emptyPurge(run: string, failures: string[]): TrashPurge {
  return { run, targets: [], totals: { ...emptyTally(), ...emptyHeldTally() }, restored: [], left: [], errors: [], failures, done: false, cancelled: false }
}

function reportOf(run: string, role: string, started: Date, purge: TrashPurge, reclaimed: number | null): TrashReport {
  const finished = new Date()
  const totals = { ...emptyTally(), ...emptyHeldTally() }
  for (const t of purge.targets.length > 0 ? purge.targets : [emptyOutcome('')]) addTally(totals, t)
  return {
    tool: 'safe-purge', version: VERSION, kind: 'trash', run, role, ok: purge.failures.length === 0 && purge.done, done: purge.done,
    startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(),
    targets: purge.targets.map((t) => ({ path: t.path, files: t.files, bytes: t.bytes, dirs: t.dirs, others: t.others, errors: t.errors.length })),
    totals: { files: totals.files, bytes: totals.bytes, dirs: totals.dirs, others: totals.others },
    space: { freedBytes: totals.bytes, reclaimedBytes: reclaimed },
    restored: purge.restored, left: purge.left,
    errors: purge.errors.slice(0, 200).map((e) => ({ path: e.path, code: e.code, message: e.message })),
    failures: purge.failures.length === 0 && !purge.done && !purge.cancelled ? [`trash ${run}: not everything in it could be deleted`] : purge.failures,
    cancelled: purge.cancelled
  }
}

/** Each run directory of the trash: whether a standing claim holds it (a deletion running, or a post step to come). */
function runStates(trash: Anchor): { run: string; worker: TrashWorker | null; held: boolean }[] {
  const out: { run: string; worker: TrashWorker | null; held: boolean }[] = []
  for (const run of listRuns(trash)) {
    let dir: Anchor
    try {
      dir = trash.openChild(Buffer.from(run))
    } catch {
      continue
    }
    try {
      const worker = workerOf(dir)
      out.push({ run, worker, held: worker !== null && workerAlive(worker) })
    } finally {
      dir.close()
    }
  }
  return out
}

/** Trash runs that no standing claim holds: left by a run that was killed or cancelled, or whose post step never ran. */
export function leftoverRuns(rootDir: Anchor): string[] {
  const trash = openTrash(rootDir, false)
  if (trash === null) return []
  try {
    return runStates(trash).filter((s) => !s.held).map((s) => s.run)
  } finally {
    trash.close()
  }
}

/** Deletes every leftover trash (what `leftoverRuns` lists), oldest first, as `me`. */
export async function purgeLeftovers(rootDir: Anchor, runs: readonly string[], me: TrashWorker, policy: Policy, opts: ExecuteOptions = {}): Promise<TrashReport[]> {
  const out: TrashReport[] = []
  for (const run of runs) {
    if (opts.signal?.aborted) break
    const r = await deleteTrash(rootDir, run, me, policy, opts)
    if (r !== null) out.push(r)
  }
  return out
}

/** What --status reports: deletions running or to come, trashes left behind, kept ones, and the last finished deletions. */
export interface TrashStatus {
  trash: string
  running: { run: string; pid: number; since: string; role: string }[]
  leftover: string[]
  kept: string[]
  finished: TrashReport[]
}

function trashStatus(rootDir: Anchor, root: NodeId & { path: string }): TrashStatus {
  const status: TrashStatus = { trash: `${root.path}/${TRASH_DIR}`, running: [], leftover: [], kept: [], finished: [] }
  const trash = openTrash(rootDir, false)
  if (trash === null) return status
  try {
    for (const s of runStates(trash)) {
      if (s.held && s.worker !== null) status.running.push({ run: s.run, pid: s.worker.pid, since: s.worker.since, role: s.worker.role })
      else status.leftover.push(s.run)
    }
    status.kept = keptRuns(trash)
    status.finished = readResults(trash).map((r) => r.result as TrashReport)
  } finally {
    trash.close()
  }
  return status
}

/** Runs `fn` on the root at `rootPath`, guarded and opened as any run's root. */
function atRoot<T>(rootPath: string, env: NodeJS.ProcessEnv, names: OptionNames | undefined, fn: (dir: Anchor, root: RootInfo) => T): T {
  const root = guardRoot(rootPath, defaultGuardEnv(env), names)
  const dir = openRoot(root)
  try {
    return fn(dir, root)
  } finally {
    dir.close()
    leaveCwd()
  }
}

/**
 * Deletes run `run` of the trash under `rootPath`, as `me`, with only the built-in patterns and
 * those the manifest recorded: the action's post step, the CLI's background process. Null when
 * there is nothing left to delete (a later run did) or a standing claim holds it.
 */
export async function deleteRootTrash(rootPath: string, run: string, me: TrashWorker, env: NodeJS.ProcessEnv, opts: ExecuteOptions = {}): Promise<TrashReport | null> {
  if (!isRunId(run)) throw fail('ERR_TRASH', `${JSON.stringify(run)} is not a trash run id`)
  const root = guardRoot(rootPath, defaultGuardEnv(env))
  const dir = openRoot(root)
  try {
    return await deleteTrash(dir, run, me, null, opts)
  } finally {
    dir.close()
    leaveCwd()
  }
}

/** --status: the root's trash, guarded as any root. */
export function rootTrashStatus(rootPath: string, env: NodeJS.ProcessEnv, names?: OptionNames): TrashStatus {
  return atRoot(rootPath, env, names, (dir, root) => trashStatus(dir, root))
}
