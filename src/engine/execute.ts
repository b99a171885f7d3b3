/**
 * The executor: the only module that removes files. It removes only the targets the plan lists,
 * re-finding each one anchored from the root fd and checking it is the node the plan saw
 * (device + inode), then walks it with the same classification as the planner, so protected
 * entries and mount points inside stay. It keeps going past errors and reports each one.
 */
import type { Policy } from './policy.js'
import { lookupTarget } from '../fs/lookup.js'
import { rmdirAt, sameNode, unlinkAt, type Anchor } from '../fs/anchor.js'
import { unlinkAtAsync, unlinkBatchAt } from '../fs/unlink.js'
import { visit, visitChildren, type Visitor, type WalkEntry } from './walk.js'
import { Pacer } from './pace.js'
import { addKept, emptyTally, finishKept, type KeptEntry, type Plan, type Tally, type TargetPlan } from './plan.js'
import { errorMessage, recoveryHint } from '../common/errors.js'

/** Bounded retries when a directory refills while it is being emptied (a live writer). */
export const NOT_EMPTY_RETRIES = 3

export interface DeleteError {
  path: string
  code: string
  message: string
  hint: string
}

export type TargetResult = 'purged' | 'purged-kept' | 'missing' | 'refused' | 'changed' | 'failed' | 'cancelled'

export interface TargetOutcome extends Tally {
  path: string
  result: TargetResult
  reason?: string
  kept: KeptEntry[]
  keptTotal: number
  /** Directories that stayed because something inside them stayed (the target itself included). */
  keptDirs: number
  errors: DeleteError[]
}

/** Test seams to stage races at exact points; never set in production. */
export interface ExecuteHooks {
  /** Before a planned target is looked up again. */
  beforeTarget?(rel: string): void
  /** Between an entry's lstat and the action on it. */
  afterLstat?(rel: string): void
  /** Before each attempt to remove an emptied directory. */
  beforeRmdir?(rel: string): void
  /** Start with thread-pool unlinks (as on a slow disk) instead of waiting to measure. */
  asyncUnlink?: boolean
}

/** Files and bytes removed so far, for a progress display. */
export interface Progress {
  target: string
  files: number
  bytes: number
  /** What the plan counted, for a percentage. */
  plannedFiles: number
  plannedBytes: number
}

export interface ExecuteOptions {
  hooks?: ExecuteHooks
  /** Aborted when the job is cancelled: stop at the next entry. */
  signal?: AbortSignal
  /** Called at most every PROGRESS_MS while files are removed, and once per finished target. */
  onProgress?: (p: Progress) => void
}

export const PROGRESS_MS = 100

/**
 * Synchronous unlinks are cheapest while the filesystem answers from memory; when they start to
 * wait on the disk (a cold, synced tree), removals go to the thread pool, several at once.
 */
export class UnlinkPace {
  static readonly SAMPLE = 256
  static readonly SLOW_MS = 0.05
  async = false
  private n = 0
  private total = 0

  observe(ms: number): void {
    this.total += ms
    if (++this.n < UnlinkPace.SAMPLE) return
    if (this.total / this.n > UnlinkPace.SLOW_MS) this.async = true
    this.n = 0
    this.total = 0
  }
}

export interface Outcome {
  targets: TargetOutcome[]
  totals: Tally
  errors: DeleteError[]
  /** The run was cancelled during the purge; unreached entries stay. */
  cancelled: boolean
}

function toDeleteError(path: string, err: unknown): DeleteError {
  const e = err as NodeJS.ErrnoException
  const code = e?.code ?? 'UNKNOWN'
  // Node's message ends with the /proc/self/fd/... path it used; the report names the real one.
  const text = errorMessage(err).split(', ')[0]
  const message = text.startsWith(code) ? text : `${code}: ${text}`
  return { path, code, message: e?.syscall ? `${message} (${e.syscall})` : message, hint: recoveryHint(code, path) }
}

/**
 * Removes what the plan lists. When `signal` aborts (the job was cancelled), it stops at the next
 * entry: what was not reached stays, and the outcome says `cancelled`.
 */
export async function executePlan(rootDir: Anchor, plan: Plan, policy: Policy, opts: ExecuteOptions = {}): Promise<Outcome> {
  const pacer = new Pacer(opts.signal)
  const pace = new UnlinkPace()
  pace.async = opts.hooks?.asyncUnlink === true
  const done = emptyTally()
  let last = 0
  const progress = (t: TargetOutcome, force: boolean): void => {
    if (!opts.onProgress) return
    const now = Date.now()
    if (!force && now - last < PROGRESS_MS) return
    last = now
    opts.onProgress({ target: t.path, files: done.files + t.files, bytes: done.bytes + t.bytes, plannedFiles: plan.totals.files, plannedBytes: plan.totals.bytes })
  }
  const targets: TargetOutcome[] = []
  for (const t of plan.targets) {
    const out = await executeTarget(rootDir, t, policy, opts.hooks ?? {}, pacer, pace, (o) => progress(o, false))
    progress(out, true)
    done.files += out.files
    done.bytes += out.bytes
    targets.push(out)
  }
  const totals = emptyTally()
  for (const t of targets) {
    totals.files += t.files
    totals.bytes += t.bytes
    totals.dirs += t.dirs
    totals.others += t.others
  }
  return { targets, totals, errors: targets.flatMap((t) => t.errors), cancelled: pacer.stopped }
}

async function executeTarget(
  rootDir: Anchor,
  planned: TargetPlan,
  policy: Policy,
  hooks: ExecuteHooks,
  pacer: Pacer,
  pace: UnlinkPace,
  tick: (o: TargetOutcome) => void
): Promise<TargetOutcome> {
  const out: TargetOutcome = { path: planned.path, result: 'missing', ...emptyTally(), kept: [], keptTotal: 0, keptDirs: 0, errors: [] }
  if (planned.status === 'present' && pacer.stopped) {
    out.result = 'cancelled'
    return out
  }
  if (planned.status !== 'present') {
    out.result = planned.status
    out.reason = planned.reason
    return out
  }
  hooks.beforeTarget?.(planned.path)
  const found = lookupTarget(rootDir, planned.path)
  if (!found.found) {
    out.result = found.missing ? 'missing' : 'refused'
    out.reason = found.reason
    return out
  }
  const { target } = found
  try {
    if (!sameNode(target.st, { dev: planned.dev ?? -1, ino: planned.ino ?? -1 }) || target.kind !== planned.kind) {
      out.result = 'changed'
      out.reason = 'replaced since it was planned; nothing under it was touched'
      out.errors.push(toDeleteError(planned.path, Object.assign(new Error(out.reason), { code: 'ECHANGED' })))
      return out
    }
    // Counted only once the unlink succeeded; an entry already gone was not ours to count.
    const removed = (e: WalkEntry): false => {
      if (e.kind === 'file') {
        out.files++
        out.bytes += e.st.size
        if ((out.files & 255) === 0) tick(out)
      } else {
        out.others++
      }
      return false
    }
    const failed = (e: WalkEntry, err: NodeJS.ErrnoException): boolean => {
      if (err.code === 'ENOENT') return false
      out.errors.push(toDeleteError(e.rel, err))
      return true
    }
    const remover: Visitor = {
      keep(e, reason) {
        out.keptTotal++
        addKept(out.kept, { path: e.rel, reason })
      },
      leaf(e) {
        if (pace.async) return unlinkAtAsync(e.parent, e.name).then(() => removed(e), (err: NodeJS.ErrnoException) => failed(e, err))
        const t0 = performance.now()
        try {
          unlinkAt(e.parent, e.name)
        } catch (err) {
          return failed(e, err as NodeJS.ErrnoException)
        }
        pace.observe(performance.now() - t0)
        return removed(e)
      },
      async leaves(parent, entries) {
        const errs = await unlinkBatchAt(parent, entries.map((e) => e.name))
        let stays = false
        entries.forEach((e, i) => {
          const err = errs[i]
          if (err === null) removed(e)
          else if (failed(e, err)) stays = true
        })
        return stays
      },
      async leaveDir(e, stays) {
        if (stays) out.keptDirs++
        return stays || !(await removeDir(e))
      },
      error(path, err) {
        out.errors.push(toDeleteError(path, err))
      },
      afterLstat: hooks.afterLstat
    }
    const removeDir = async (e: WalkEntry): Promise<boolean> => {
      for (let attempt = 0; ; attempt++) {
        try {
          hooks.beforeRmdir?.(e.rel)
          rmdirAt(e.parent, e.name)
          out.dirs++
          return true
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (code === 'ENOENT') return true
          if (code === 'ENOTEMPTY' && attempt < NOT_EMPTY_RETRIES) {
            if ((await visitChildren(e, rootDir, policy, remover, pacer)) !== false) return false
            continue
          }
          out.errors.push(toDeleteError(e.rel, err))
          return false
        }
      }
    }
    const stays = await visit({ parent: target.parent, name: target.name, rel: planned.path, st: target.st, kind: target.kind }, rootDir, policy, remover, pacer)
    out.result = out.errors.length > 0 ? 'failed' : pacer.stopped && stays ? 'cancelled' : stays ? 'purged-kept' : 'purged'
    return out
  } finally {
    target.parent.close()
    finishKept(out.kept)
  }
}
