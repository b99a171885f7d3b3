/**
 * Deleting the trash, as the engine's callers need it: one run's trash (the action's post step,
 * the CLI's background process, `trash: now`), the trashes earlier runs left behind (killed,
 * cancelled: the next run purges them before anything else), and what `--status` shows. Each
 * deletion claims its run first (trash.ts), is measured (files, bytes, what the filesystem
 * gained) and leaves a report next to the run directories.
 */
import { unlinkAt, type Anchor, type NodeId } from '../fs/anchor.js'
import { freeBytes } from '../fs/space.js'
import { createPolicy, type Policy } from './policy.js'
import { purgeTrashRun, type TrashPurge } from './execute-trash.js'
import type { ExecuteOptions } from './execute.js'
import { TRASH_DIR, claimRun, isRunId, type TrashReport, listRuns, oldResults, openTrash, readResults, workerAlive, workerOf, writeResult, type TrashManifest } from './trash.js'
import { VERSION } from './report.js'

export type { TrashReport }
import { errorMessage, fail } from '../common/errors.js'
import { defaultGuardEnv, guardRoot, openRoot } from '../fs/root-guard.js'
import { leaveCwd } from '../fs/anchor.js'
import type { OptionNames } from '../common/options.js'

/** The caller's policy with the patterns and exact files of the run that made the trash: both protect. */
export function unionPolicy(policy: Policy | null): (m: TrashManifest) => Policy {
  return (m) => createPolicy([...(policy?.extra ?? []), ...m.protected], [...(policy?.exact ?? []), ...m.exact])
}

/**
 * Claims and deletes run `run` of the root's trash; null when another live process holds it (or
 * there is nothing to delete). Writes the report into the trash.
 */
export async function deleteTrash(rootDir: Anchor, run: string, role: string, policy: Policy | null, opts: ExecuteOptions = {}): Promise<TrashReport | null> {
  const trash = openTrash(rootDir, false)
  if (trash === null) return null
  try {
    return await deleteIn(rootDir, trash, run, role, policy, opts)
  } finally {
    trash.close()
  }
}

async function deleteIn(rootDir: Anchor, trash: Anchor, run: string, role: string, policy: Policy | null, opts: ExecuteOptions): Promise<TrashReport | null> {
  let runDir: Anchor
  try {
    runDir = trash.openChild(Buffer.from(run))
  } catch {
    return null
  }
  try {
    if (claimRun(runDir, role) === 'busy') return null
  } finally {
    runDir.close()
  }
  const started = new Date()
  const free = freeBytes(rootDir)
  let purge: TrashPurge
  try {
    purge = await purgeTrashRun(rootDir, trash, run, unionPolicy(policy), opts)
  } catch (err) {
    purge = { run, targets: [], totals: { files: 0, bytes: 0, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 }, restored: [], left: [], errors: [], failures: [`trash ${run}: ${errorMessage(err)}`], done: false, cancelled: false }
  }
  const finished = new Date()
  const report: TrashReport = {
    tool: 'safe-purge', version: VERSION, kind: 'trash', run, role, ok: purge.failures.length === 0 && purge.done, done: purge.done,
    startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(),
    targets: purge.targets.map((t) => ({ path: t.path, files: t.files, bytes: t.bytes, dirs: t.dirs, others: t.others, errors: t.errors.length })),
    totals: { files: purge.totals.files, bytes: purge.totals.bytes, dirs: purge.totals.dirs, others: purge.totals.others },
    space: { freedBytes: purge.totals.bytes, reclaimedBytes: freeBytes(rootDir) - free },
    restored: purge.restored, left: purge.left,
    errors: purge.errors.slice(0, 200).map((e) => ({ path: e.path, code: e.code, message: e.message })),
    failures: purge.failures.length === 0 && !purge.done ? [`trash ${run}: not everything in it could be deleted`] : purge.failures,
    cancelled: purge.cancelled
  }
  try {
    writeResult(trash, run, report)
    for (const old of oldResults(trash)) unlinkAt(trash, old)
  } catch {
    // The report is also the caller's to show: a trash it cannot write into is no failure of the purge.
  }
  return report
}

/** Trash runs that no live process is deleting: left by a run that was killed or cancelled, or whose post step never ran. */
export function leftoverRuns(rootDir: Anchor): string[] {
  const trash = openTrash(rootDir, false)
  if (trash === null) return []
  try {
    return listRuns(trash).filter((run) => {
      try {
        const dir = trash.openChild(Buffer.from(run))
        try {
          const w = workerOf(dir)
          return w === null || !workerAlive(w)
        } finally {
          dir.close()
        }
      } catch {
        return false
      }
    })
  } finally {
    trash.close()
  }
}

/** Deletes every leftover trash (what `leftoverRuns` lists), oldest first. */
export async function purgeLeftovers(rootDir: Anchor, policy: Policy, opts: ExecuteOptions = {}): Promise<TrashReport[]> {
  const out: TrashReport[] = []
  for (const run of leftoverRuns(rootDir)) {
    if (opts.signal?.aborted) break
    const r = await deleteTrash(rootDir, run, 'leftover', policy, opts)
    if (r !== null) out.push(r)
  }
  return out
}

/** What --status reports: deletions running now, trashes left behind, and the last finished deletions. */
export interface TrashStatus {
  trash: string
  running: { run: string; pid: number; since: string; role: string }[]
  leftover: string[]
  finished: TrashReport[]
}

export function trashStatus(rootDir: Anchor, root: NodeId & { path: string }): TrashStatus {
  const status: TrashStatus = { trash: `${root.path}/${TRASH_DIR}`, running: [], leftover: [], finished: [] }
  const trash = openTrash(rootDir, false)
  if (trash === null) return status
  try {
    for (const run of listRuns(trash)) {
      const dir = trash.openChild(Buffer.from(run))
      try {
        const w = workerOf(dir)
        if (w !== null && workerAlive(w)) status.running.push({ run, pid: w.pid, since: w.since, role: w.role })
        else status.leftover.push(run)
      } finally {
        dir.close()
      }
    }
    status.finished = readResults(trash).map((r) => r.result as TrashReport)
  } finally {
    trash.close()
  }
  return status
}

/**
 * Deletes run `run` of the trash under `rootPath` (guarded as any root), with only the built-in
 * patterns and those the manifest recorded: the action's post step, the CLI's background process.
 * Null when there is nothing left to delete (a later run already did) or another process is at it.
 */
export async function deleteRootTrash(rootPath: string, run: string, role: string, env: NodeJS.ProcessEnv, opts: ExecuteOptions = {}): Promise<TrashReport | null> {
  if (!isRunId(run)) throw fail('ERR_TRASH', `${JSON.stringify(run)} is not a trash run id`)
  const root = guardRoot(rootPath, defaultGuardEnv(env))
  const dir = openRoot(root)
  try {
    return await deleteTrash(dir, run, role, null, opts)
  } finally {
    dir.close()
    leaveCwd()
  }
}

/** --status: the root's trash, guarded as any root. */
export function rootTrashStatus(rootPath: string, env: NodeJS.ProcessEnv, names?: OptionNames): TrashStatus {
  const root = guardRoot(rootPath, defaultGuardEnv(env), names)
  const dir = openRoot(root)
  try {
    return trashStatus(dir, root)
  } finally {
    dir.close()
    leaveCwd()
  }
}
