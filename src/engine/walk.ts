/**
 * The one traversal of a target, shared by the planner (counts) and the executor (deletes), so
 * both classify every entry the same way: protected entries and mount points stay, directories
 * are descended through anchored fds (never through a link), everything else is a leaf.
 * Directories are read in bounded batches (a getdents64 buffer with the native helper; opendir
 * for huge directories without it), so memory stays flat on huge trees. With the native helper,
 * a few directories are walked at once and leaves are removed in batches on the thread pool.
 */
import type { Policy } from './policy.js'
import type { Anchor, Name } from '../fs/anchor.js'
import { fsTypeOf, passCap, type Pacer } from './pace.js'
import { openCheckedDir } from '../fs/lookup.js'
import { statBatches, type EntryStat, type Kind } from '../fs/entries.js'

export type KeepReason = 'protected' | 'mount-point'

/** Asynchronous leaf operations in flight per directory (a cold disk serves many at once). */
const MAX_IN_FLIGHT = 16

/** Leaves handed to `Visitor.leaves` at once (one unlink batch on the thread pool). */
const LEAF_BATCH = 64


export interface WalkEntry {
  /** The open directory holding this entry (valid only during the callback). */
  parent: Anchor
  name: Name
  /** Root-relative path, for policy and reports. */
  rel: string
  st: EntryStat
  kind: Kind
}

export interface Visitor {
  /** An entry that stays: protected, or a mount point that is never crossed. */
  keep(e: WalkEntry, reason: KeepReason): void
  /**
   * A non-directory entry to handle. Returns true when it stays (e.g. its removal failed), or a
   * promise of that; `e.parent` stays open until the promise settles.
   */
  leaf(e: WalkEntry): boolean | Promise<boolean>
  /**
   * Optional batch form of `leaf`, used with the native helper: all entries share one parent.
   * Resolves to true when any of them stays.
   */
  leaves?(parent: Anchor, entries: WalkEntry[]): Promise<boolean>
  /** A directory after its children; `stays` says whether anything inside stays. Returns whether the directory stays. */
  leaveDir(e: WalkEntry, stays: boolean): boolean | Promise<boolean>
  /** An entry that could not be reached or read (`e`, when the error is about that entry itself). It stays. */
  error(rel: string, err: unknown, e?: WalkEntry): void
  /** Test seam: called between an entry's lstat and any action on it (to stage races). */
  afterLstat?(rel: string): void
}

/**
 * Visits `e` (and, for a directory, everything below it). Returns true when something stays.
 * `mount` is the directory whose mount the walk must stay on (the root). Once the pacer is
 * stopped, nothing more is touched and every unvisited entry stays.
 */
export async function visit(e: WalkEntry, mount: Anchor, policy: Policy, v: Visitor, pacer: Pacer): Promise<boolean> {
  if (pacer.stopped) return true
  if (policy.isProtectedChild(e.rel, e.kind === 'dir')) {
    v.keep(e, 'protected')
    return true
  }
  if (e.kind !== 'dir') return v.leaf(e)
  const stays = await visitChildren(e, mount, policy, v, pacer)
  if (stays === 'mount-point') return true
  return await v.leaveDir(e, stays || pacer.stopped)
}

/**
 * Visits the children of directory `e`, opened anchored and checked to be the node lstat saw.
 * A directory on another mount (another filesystem, or a bind mount) is kept, never entered.
 */
export async function visitChildren(e: WalkEntry, mount: Anchor, policy: Policy, v: Visitor, pacer: Pacer): Promise<boolean | 'mount-point'> {
  if (e.st.dev !== mount.dev) {
    v.keep(e, 'mount-point')
    return 'mount-point'
  }
  let dirA: Anchor
  try {
    dirA = openCheckedDir(e.parent, e.name, e.st)
  } catch (err) {
    // Removed by someone else since its lstat: already gone, which is what a purge wants.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    v.error(e.rel, err, e)
    return true
  }
  if (!mount.sameMount(dirA)) {
    dirA.close()
    v.keep(e, 'mount-point')
    return 'mount-point'
  }
  let stays = false
  // Leaves a visitor handles asynchronously (the executor's unlinks), at most MAX_IN_FLIGHT at a
  // time; all of them settle before this directory is left and its fd closed.
  const inFlight = new Set<Promise<void>>()
  const track = (p: Promise<boolean>): void => {
    const q: Promise<void> = p.then(
      (s) => {
        if (s) stays = true
      },
      (err) => {
        v.error(e.rel, err)
        stays = true
      }
    )
    inFlight.add(q)
    void q.finally(() => inFlight.delete(q))
  }
  // Leaves waiting to be handed over as one batch (visitors with `leaves`, native helper only).
  const batching = v.leaves !== undefined && pacer.concurrent
  let pending: WalkEntry[] = []
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return
    track((v.leaves as NonNullable<Visitor['leaves']>)(dirA, pending))
    pending = []
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight)
  }
  // A directory a process keeps filling could keep one pass going for ever (a listing returns
  // entries added after it began): a pass handles at most what the directory could hold when it
  // was first seen, then the directory is reported (ENOTEMPTY) and stays.
  const cap = passCap(e.st.size, fsTypeOf(mount))
  let handled = 0
  try {
    walk: for await (const batch of statBatches(dirA, e.rel)) {
      for (const child of batch) {
        if (++handled > cap) {
          v.error(e.rel, Object.assign(new Error(`kept filling while it was walked (more than the ${cap} entries it could hold when first seen)`), { code: 'ENOTEMPTY' }))
          stays = true
          break walk
        }
        if (pacer.due()) await pacer.yield()
        if (pacer.stopped) {
          stays = true
          break walk
        }
        if (child.err !== null) {
          v.error(child.rel, child.err)
          stays = true
          continue
        }
        if (v.afterLstat) v.afterLstat(child.rel)
        if (child.kind !== 'dir') {
          if (policy.isProtectedIn(child.dirRel, child.text, false)) {
            v.keep(child, 'protected')
            stays = true
            continue
          }
          if (batching) {
            pending.push(child)
            if (pending.length >= LEAF_BATCH) await flush()
            continue
          }
          const r = v.leaf(child)
          if (r === true) stays = true
          else if (r !== false) {
            track(r)
            if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight)
          }
        } else {
          // No free slot: wait for this directory's own work in flight (which always finishes,
          // so this never waits on an ancestor) and try again; with nothing in flight, go inline.
          let slot = pacer.takeSlot()
          while (!slot && pacer.concurrent && inFlight.size > 0) {
            await Promise.race(inFlight)
            slot = pacer.takeSlot()
          }
          if (slot) {
            track(visit(child, mount, policy, v, pacer).finally(() => pacer.releaseSlot()))
            if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight)
          } else if (await visit(child, mount, policy, v, pacer)) {
            stays = true
          }
        }
      }
      await flush()
    }
    // Cancelled: leaves not yet handed over stay (stays is already true).
    pending = []
    // After descending: the directory must still be the one that was opened (fallback mode).
    dirA.recheck()
  } catch (err) {
    v.error(e.rel, err)
    stays = true
  } finally {
    // Everything that uses this directory's fd settles before it is closed.
    await Promise.allSettled([...inFlight])
    dirA.close()
  }
  return stays
}
