/**
 * The executor: the only module that removes or truncates files. It removes only the targets the
 * plan lists, re-finding each one anchored from the root fd and checking it is the node the plan
 * saw (device + inode), then walks it with the same classification as the planner, so protected
 * entries and mount points inside stay. A target directory is emptied and stays (unless the plan
 * says `removeTargetDirs`); a file a running process holds open is truncated in place instead of
 * unlinked, so its space comes back now (fs/truncate.ts). It keeps going past errors and reports
 * each one.
 *
 * Longer than most files on purpose: one target's remover is one closure over one outcome (what
 * was removed, truncated, kept, failed), and the rules for removing, truncating and emptying
 * must be read together to see that nothing protected is ever touched.
 */
import type { Policy } from './policy.js'
import { lookupTarget, openCheckedDir } from '../fs/lookup.js'
import { rmdirAt, sameNode, unlinkAt, type Anchor, type NodeId } from '../fs/anchor.js'
import { unlinkAtAsync, unlinkBatchAt } from '../fs/unlink.js'
import { typedEntries } from '../fs/entries.js'
import { truncateHeldAt } from '../fs/truncate.js'
import { blockingFlag, flagsAt } from '../fs/flags.js'
import type { HeldFile, HeldFiles } from '../fs/holders.js'
import { visit, visitChildren, type Visitor, type WalkEntry } from './walk.js'
import { Pacer } from './pace.js'
import {
  addByPath, addKept, addTally, emptyHeldTally, emptyTally, finishByPath, finishKept, heldOpen,
  type HeldTally, type HeldUnlinkedEntry, type KeptEntry, type Plan, type Tally, type TargetPlan, type TruncatedEntry
} from './plan.js'
import { errorMessage, recoveryHint } from '../common/errors.js'

/** Bounded retries when a directory refills while it is being emptied (a live writer). */
export const NOT_EMPTY_RETRIES = 3

export interface DeleteError {
  path: string
  code: string
  message: string
  hint: string
  /** The entry, or its directory, is immutable or append-only: nobody can unlink it, root included. */
  flags?: 'immutable' | 'append-only'
  /** The uid owning the entry, when it is known (permission errors). */
  owner?: number
}

export type TargetResult = 'purged' | 'purged-kept' | 'moved' | 'missing' | 'refused' | 'changed' | 'failed' | 'cancelled'

export interface TargetOutcome extends Tally, HeldTally {
  path: string
  result: TargetResult
  reason?: string
  kept: KeptEntry[]
  keptTotal: number
  /** Directories that stayed because something inside them stayed: a kept entry, a truncated file (the target itself included). */
  keptDirs: number
  /** The target is a directory that was emptied and stays (not in `dirs`); see TargetPlan.keptTarget. */
  keptTarget: boolean
  /** Held-open files truncated in place (the first KEPT_LIST_LIMIT by path; `truncatedFiles` counts all). */
  truncated: TruncatedEntry[]
  /** Every truncated file's device+inode (unbounded): verification expects them to stay. */
  truncatedNodes: NodeId[]
  /** Held-open files unlinked anyway (the first KEPT_LIST_LIMIT by path; `heldUnlinkedFiles` counts all). */
  heldUnlinked: HeldUnlinkedEntry[]
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
  /** Before each check that a target directory that stays was left empty (where its rmdir would be tried). */
  beforeEmptyCheck?(rel: string): void
  /** Start with thread-pool unlinks (as on a slow disk) instead of waiting to measure. */
  asyncUnlink?: boolean
}

/**
 * Test seam for the cancellation tests (the action, the CLI, in a terminal): with
 * SAFE_PURGE_TEST_STOP_AFTER_ENTRIES=N the process stops itself (SIGSTOP, as Ctrl-Z would) once,
 * after the purge has looked at N entries, so a test signals it at a known point of the purge
 * instead of racing a purge that may finish in a few hundred milliseconds. Nothing else changes.
 */
export function selfStopHooks(env: NodeJS.ProcessEnv): ExecuteHooks | undefined {
  const n = Number(env.SAFE_PURGE_TEST_STOP_AFTER_ENTRIES ?? '')
  if (!Number.isInteger(n) || n <= 0) return undefined
  let seen = 0
  return {
    afterLstat: () => {
      if (++seen === n) process.kill(process.pid, 'SIGSTOP')
    }
  }
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
  /**
   * Who holds which regular file open, scanned just before the purge (HeldFiles.scan): such a
   * file in a target is truncated in place instead of unlinked. Without it, every file is unlinked.
   */
  held?: HeldFiles
  /** Strategy move: these targets are renamed into the trash by `mover` (execute-trash.ts) instead of purged in place. */
  movable?: ReadonlySet<string>
  mover?: (top: WalkEntry, out: TargetOutcome) => boolean
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
  totals: Tally & HeldTally
  errors: DeleteError[]
  /** The run was cancelled during the purge; unreached entries stay. */
  cancelled: boolean
}

export function toDeleteError(path: string, err: unknown): DeleteError {
  const e = err as NodeJS.ErrnoException
  const code = e?.code ?? 'UNKNOWN'
  // Node's message ends with the /proc/self/fd/... path it used; the report names the real one.
  const text = errorMessage(err).split(', ')[0]
  const message = text.startsWith(code) ? text : `${code}: ${text}`
  return { path, code, message: e?.syscall ? `${message} (${e.syscall})` : message, hint: recoveryHint(code, path) }
}

/**
 * A permission error says who owns the entry, and whether a flag (immutable, append-only) on the
 * entry or its directory stands in the way, which no privileged pass can get past. (The kernel
 * checks the directory's permissions first: a user meets EACCES where root would meet EPERM.)
 */
function withCause(err: DeleteError, e: WalkEntry): DeleteError {
  if (err.code !== 'EACCES' && err.code !== 'EPERM') return err
  try {
    const own = flagsAt(e.parent, e.name)
    err.owner = own.uid
    const f = blockingFlag(own.flags) ?? blockingFlag(flagsAt(e.parent, null).flags)
    if (f) err.flags = f
  } catch {
    // gone or unreadable now: the error stands as it is
  }
  return err
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
  const targets: TargetOutcome[] = new Array(plan.targets.length)
  const how: How = { policy, hooks: opts.hooks ?? {}, pacer, pace, held: opts.held, removeTargetDirs: plan.removeTargetDirs === true, movable: opts.movable ?? new Set(), mover: opts.mover }
  // Targets that move go first: the less time between the look inside them and their rename, the
  // fewer protected entries can appear there meanwhile. The outcome keeps the plan's order.
  const order = [...plan.targets.keys()].sort((a, b) => Number(how.movable.has(plan.targets[b].path)) - Number(how.movable.has(plan.targets[a].path)))
  for (const i of order) {
    const out = await executeTarget(rootDir, plan.targets[i], how, (o) => progress(o, false))
    progress(out, true)
    done.files += out.files
    done.bytes += out.bytes
    targets[i] = out
  }
  const totals = { ...emptyTally(), ...emptyHeldTally() }
  for (const t of targets) addTally(totals, t)
  return { targets, totals, errors: targets.flatMap((t) => t.errors), cancelled: pacer.stopped }
}

/** What the purge of every target shares. */
export interface How {
  policy: Policy
  hooks: ExecuteHooks
  pacer: Pacer
  pace: UnlinkPace
  held: HeldFiles | undefined
  removeTargetDirs: boolean
  /** Targets to move into the trash instead (strategy move), and who moves them (execute-trash.ts): true when it did. */
  movable: ReadonlySet<string>
  mover?: (top: WalkEntry, out: TargetOutcome) => boolean
}

/** What a purge shares, for callers other than executePlan (the trash purge). */
export function purgeHow(policy: Policy, opts: ExecuteOptions, removeTargetDirs: boolean): How {
  const pace = new UnlinkPace()
  pace.async = opts.hooks?.asyncUnlink === true
  return { policy, hooks: opts.hooks ?? {}, pacer: new Pacer(opts.signal), pace, held: opts.held, removeTargetDirs, movable: new Set() }
}

/** How an unlink ended: counted, already gone (not ours to count), or failed (recorded; it stays). */
type Unlinked = 'removed' | 'gone' | 'failed'

async function executeTarget(rootDir: Anchor, planned: TargetPlan, how: How, tick: (o: TargetOutcome) => void): Promise<TargetOutcome> {
  const { hooks, pacer } = how
  const out = emptyOutcome(planned.path)
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
    const top: WalkEntry = { parent: target.parent, name: target.name, rel: planned.path, st: target.st, kind: target.kind }
    if (how.mover !== undefined && how.movable.has(planned.path)) {
      const moved = how.mover(top, out)
      if (moved) return out
    }
    await purgeTree(rootDir, top, out, how, tick)
    return out
  } finally {
    target.parent.close()
    finishKept(out.kept)
    finishByPath(out.truncated)
    finishByPath(out.heldUnlinked)
  }
}

/** A fresh outcome for `path`, nothing done yet. */
export function emptyOutcome(path: string): TargetOutcome {
  return {
    path, result: 'missing', ...emptyTally(), ...emptyHeldTally(),
    kept: [], keptTotal: 0, keptDirs: 0, keptTarget: false, truncated: [], truncatedNodes: [], heldUnlinked: [], errors: []
  }
}

/**
 * Purges `top` (found and checked by the caller) into `out`: everything below it but what stays
 * (protected entries, mount points, their parents), and `top` itself unless it is a target
 * directory that stays (`keepTop`). The trash purge calls it with `top.rel` set to the entry's
 * original path, so the policy judges every entry under the name it had in its target.
 */
export async function purgeTree(rootDir: Anchor, top: WalkEntry, out: TargetOutcome, how: How, tick: (o: TargetOutcome) => void, keepTop = true): Promise<void> {
  const { policy, hooks, pacer, pace } = how
  out.keptTarget = keepTop && top.kind === 'dir' && !how.removeTargetDirs
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
    out.errors.push(withCause(toDeleteError(e.rel, err), e))
    return true
  }
  const unlinkNow = (e: WalkEntry): Unlinked => {
    const t0 = performance.now()
    try {
      unlinkAt(e.parent, e.name)
    } catch (err) {
      return failed(e, err as NodeJS.ErrnoException) ? 'failed' : 'gone'
    }
    pace.observe(performance.now() - t0)
    removed(e)
    return 'removed'
  }
  // A regular file a running process holds open: an unlink would free nothing while it runs, so
  // it is truncated where it is (and stays), unless it must not be: then it is unlinked as before.
  const heldFile = (e: WalkEntry, h: HeldFile): boolean => {
    let why: Pick<HeldUnlinkedEntry, 'reason' | 'code'> = { reason: 'mapped' }
    if (!h.mapped) {
      try {
        const r = truncateHeldAt(e.parent, e.name, e.st)
        if (r.truncated) {
          out.truncatedFiles++
          out.truncatedBytes += r.bytes
          out.truncatedNodes.push({ dev: e.st.dev, ino: e.st.ino })
          addByPath(out.truncated, { path: e.rel, bytes: r.bytes, holders: h.holders })
          return true
        }
        // Replaced since its lstat: whatever the name holds now goes, as any entry of a target would.
        // Mounted over (a file bind mount): its unlink fails with EBUSY, reported as it always was.
        if (r.reason === 'changed' || r.reason === 'mount-point') return unlinkNow(e) === 'failed'
        why = { reason: 'hard-links' }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN'
        if (code === 'ENOENT') return false
        why = { reason: 'cannot-truncate', code }
      }
    }
    const r = unlinkNow(e)
    if (r === 'removed') {
      out.heldUnlinkedFiles++
      out.heldUnlinkedBytes += e.st.size
      addByPath(out.heldUnlinked, { path: e.rel, bytes: e.st.size, holders: h.holders, ...why })
    }
    return r === 'failed'
  }
  const remover: Visitor = {
    keep(e, reason) {
      out.keptTotal++
      addKept(out.kept, { path: e.rel, reason })
    },
    leaf(e) {
      const h = heldOpen(how.held, e)
      if (h !== undefined) return heldFile(e, h)
      if (pace.async) return unlinkAtAsync(e.parent, e.name).then(() => removed(e), (err: NodeJS.ErrnoException) => failed(e, err))
      return unlinkNow(e) === 'failed'
    },
    async leaves(parent, entries) {
      let stays = false
      // Held files are taken out of the batch: each is handled on its own, synchronously.
      const batch: WalkEntry[] = []
      for (const e of entries) {
        const h = heldOpen(how.held, e)
        if (h === undefined) batch.push(e)
        else if (heldFile(e, h)) stays = true
      }
      if (batch.length === 0) return stays
      const errs = await unlinkBatchAt(parent, batch.map((e) => e.name))
      batch.forEach((e, i) => {
        const err = errs[i]
        if (err === null) removed(e)
        else if (failed(e, err)) stays = true
      })
      return stays
    },
    async leaveDir(e, stays) {
      if (stays) out.keptDirs++
      if (e === top && out.keptTarget) return stays || (await refilled(e))
      return stays || !(await removeDir(e))
    },
    error(path, err, e) {
      const d = toDeleteError(path, err)
      out.errors.push(e ? withCause(d, e) : d)
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
  // The target directory that stays, once emptied: removeDir's retries without the rmdir. Found
  // refilled (a live writer), it is emptied again at most NOT_EMPTY_RETRIES times, then reported
  // (ENOTEMPTY). Returns true when something stays in it.
  const refilled = async (e: WalkEntry): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      hooks.beforeEmptyCheck?.(e.rel)
      let filled: boolean
      try {
        filled = hasEntries(e)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
        out.errors.push(toDeleteError(e.rel, err))
        return true
      }
      if (!filled) return false
      if (attempt >= NOT_EMPTY_RETRIES) {
        out.errors.push(toDeleteError(e.rel, Object.assign(new Error('directory not empty: it kept filling while it was emptied'), { code: 'ENOTEMPTY' })))
        return true
      }
      if ((await visitChildren(e, rootDir, policy, remover, pacer)) !== false) return true
    }
  }
  const stays = await visit(top, rootDir, policy, remover, pacer)
  out.result = out.errors.length > 0 ? 'failed' : pacer.stopped && stays ? 'cancelled' : out.keptTotal > 0 ? 'purged-kept' : 'purged'
}

/** Whether directory `e` (opened and checked to be the node its lstat saw) holds any entry. */
function hasEntries(e: WalkEntry): boolean {
  const dir = openCheckedDir(e.parent, e.name, e.st)
  const entries = typedEntries(dir)
  try {
    return entries.next().done !== true
  } finally {
    entries.return(undefined)
    dir.close()
  }
}
