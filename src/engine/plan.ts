/**
 * The planner: scans each target without following links and without changing anything, and
 * says what a real run would remove (counts and bytes) and what would stay (protected entries,
 * mount points, parents of those; a target directory itself, which is emptied, not removed,
 * unless `removeTargetDirs`; files held open by a running process, which are truncated in place
 * when `held` says who holds what). A dry run prints exactly this.
 *
 * It holds the types the executor, verification and report share with it (Tally, TargetPlan,
 * the kept and held-open entries), which is most of its length.
 */
import type { Policy } from './policy.js'
import { lookupTarget, openCheckedDir } from '../fs/lookup.js'
import { lstatAt, type Anchor, type Name, type NodeId } from '../fs/anchor.js'
import type { HeldFile, HeldFiles, Holder } from '../fs/holders.js'
import { type Kind } from '../fs/entries.js'
import type { UnlinkCheck } from '../fs/access.js'
import { visit, type KeepReason, type Visitor, type WalkEntry } from './walk.js'
import { Pacer } from './pace.js'
import { errorMessage, isPermissionCode } from '../common/errors.js'
import { ListingBuilder, type Listing } from './listing.js'

/** How many kept entries a target lists by name; the rest are only counted. */
export const KEPT_LIST_LIMIT = 200

export interface KeptEntry {
  path: string
  reason: KeepReason
}

export interface Tally {
  /** Regular files. */
  files: number
  /** Sum of st_size of those files. */
  bytes: number
  /** Directories removed (a target directory that stays, emptied, is not one). */
  dirs: number
  /** Symlinks, FIFOs, sockets, device nodes. */
  others: number
}

/** A held-open file the run truncates to zero where it is (its holders keep writing to it). */
export interface TruncatedEntry {
  path: string
  /** Its size just before (in a plan: when it was scanned). */
  bytes: number
  holders: Holder[]
}

/**
 * A held-open file the run unlinks instead, as any other file: its space comes back only once
 * every holder closes it. `hard-links`: it has other names (truncating would change their content
 * too, and one may be protected); `mapped`: a holder maps it (truncating would kill that process
 * with SIGBUS); `cannot-truncate`: opening or truncating it failed (`code` says why).
 */
export interface HeldUnlinkedEntry extends TruncatedEntry {
  reason: 'hard-links' | 'mapped' | 'cannot-truncate'
  code?: string
}

/** Files held open by running processes: truncated in place, or unlinked anyway. */
export interface HeldTally {
  /** Truncated to zero and left where they are: not in `files`/`bytes` (nothing was removed). */
  truncatedFiles: number
  /** Their sizes before: space given back although the files stay. */
  truncatedBytes: number
  /** Unlinked although held (also counted in `files`/`bytes`): their space may not come back. */
  heldUnlinkedFiles: number
  heldUnlinkedBytes: number
}

/**
 * An entry this process could not unlink (found by checking, not by trying): `rootCan` when a root
 * pass would (a permission), not when a flag or a read-only filesystem forbids it to anybody.
 */
export interface DeniedEntry {
  path: string
  code: 'EACCES' | 'EPERM' | 'EROFS'
  why: string
  rootCan: boolean
  owner: number | null
}

export interface TargetPlan extends Tally, HeldTally {
  path: string
  status: 'present' | 'missing' | 'refused'
  reason?: string
  kind?: Kind
  dev?: number
  ino?: number
  kept: KeptEntry[]
  keptTotal: number
  /**
   * Directories that stay because something inside them stays: a kept entry, a truncated file
   * (the target itself included then).
   */
  keptDirs: number
  /**
   * The target is a directory that stays whatever it holds: it is emptied, keeping its inode,
   * owner, mode and ACLs (`removeTargetDirs` off). Counted neither in `dirs` nor, unless
   * something inside it stays, in `keptDirs`.
   */
  keptTarget: boolean
  /** Held-open files truncated in place (the first KEPT_LIST_LIMIT by path; `truncatedFiles` counts all). */
  truncated: TruncatedEntry[]
  /** Held-open files unlinked anyway (the first KEPT_LIST_LIMIT by path; `heldUnlinkedFiles` counts all). */
  heldUnlinked: HeldUnlinkedEntry[]
  /** False when only the target itself was looked at (its counts are zero, not measured). */
  counted: boolean
  /** Entries that could not be read while scanning (they will stay). */
  unreadable: { path: string; code: string; message: string }[]
  /** Entries this process could not unlink (the first KEPT_LIST_LIMIT by path), when the plan checked (PlanOptions.access). */
  denied: DeniedEntry[]
  deniedTotal: number
  /** Of those (and of `unreadable`), how many a root pass could handle: permissions, not flags. */
  deniedRootCan: number
  /** Every entry directly inside the target that would go, bounded (PlanOptions.list). */
  listing?: Listing
}

export interface Plan {
  root: string
  targets: TargetPlan[]
  /** The held-file fields are always set by scanTargets (optional only for plans built by hand). */
  totals: Tally & { kept: number } & Partial<HeldTally>
  /** Target directories are removed too (the seed's behaviour), not only emptied. The executor follows the plan. */
  removeTargetDirs?: boolean
}

export interface PlanOptions {
  /** Remove each target directory itself once emptied (default: keep it, emptied in place). */
  removeTargetDirs?: boolean
  /** Who holds which file open now (fs/holders.ts): such files are counted as truncated in place. */
  held?: HeldFiles
  /** Check that each entry the run would remove can be unlinked by this process (fs/access.ts). */
  access?: UnlinkCheck
  /** List the entries that would go (engine/listing.ts): a dry run's --list, the action's dry-run summary. */
  list?: boolean
}

export function emptyTally(): Tally {
  return { files: 0, bytes: 0, dirs: 0, others: 0 }
}

export function emptyHeldTally(): HeldTally {
  return { truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 }
}

/** Adds `t`'s counts to `into` (totals of a plan or an outcome). */
export function addTally(into: Tally & HeldTally, t: Tally & HeldTally): void {
  for (const k of ['files', 'bytes', 'dirs', 'others', 'truncatedFiles', 'truncatedBytes', 'heldUnlinkedFiles', 'heldUnlinkedBytes'] as const) into[k] += t[k]
}

/**
 * Who holds this entry open, when it is a regular file someone does: the run truncates it in place,
 * or (mapped, or with other names) unlinks it as any other file. The planner and the executor ask this.
 */
export function heldOpen(held: HeldFiles | undefined, e: { kind: Kind; st: NodeId }): HeldFile | undefined {
  if (held === undefined || e.kind !== 'file') return undefined
  return held.get(e.st)
}

/** Adds to a bounded list sorted by path, like `addKept` (call `finishByPath` when the walk is done). */
export function addByPath<T extends { path: string }>(list: T[], entry: T): void {
  list.push(entry)
  if (list.length >= 2 * KEPT_LIST_LIMIT) finishByPath(list)
}

export function finishByPath<T extends { path: string }>(list: T[]): void {
  list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  if (list.length > KEPT_LIST_LIMIT) list.length = KEPT_LIST_LIMIT
}

/**
 * Adds a kept entry to a target's bounded list. The list names the first KEPT_LIST_LIMIT paths in
 * sorted order (call `finishKept` when the walk is done), so that a dry run and a real run, whose
 * directory visits may interleave differently, name the same entries.
 */
export function addKept(list: KeptEntry[], entry: KeptEntry): void {
  addByPath(list, entry)
}

export function finishKept(list: KeptEntry[]): void {
  finishByPath(list)
}

/**
 * `count: false` only finds each target (kind, device+inode, mount): for a run nobody reviews
 * before it starts (forced), the purge itself counts, so the tree is walked once.
 */
export async function scanTargets(
  rootDir: Anchor,
  root: string,
  targets: readonly string[],
  policy: Policy,
  count = true,
  signal?: AbortSignal,
  options: PlanOptions = {}
): Promise<Plan> {
  const planned: TargetPlan[] = []
  // A listing needs every entry seen: only a counted plan has it.
  if (!count) options = { ...options, list: false }
  // A cancelled scan stops where it is: nothing was changed, and the run then reports the cancellation.
  const pacer = new Pacer(signal)
  for (const t of targets) planned.push(await scanTarget(rootDir, t, policy, pacer, count, options))
  const totals = { ...emptyTally(), ...emptyHeldTally(), kept: 0 }
  for (const t of planned) {
    addTally(totals, t)
    totals.kept += t.keptTotal
  }
  return { root, targets: planned, totals, removeTargetDirs: options.removeTargetDirs === true }
}

export async function scanTarget(rootDir: Anchor, rel: string, policy: Policy, pacer = new Pacer(), count = true, options: PlanOptions = {}): Promise<TargetPlan> {
  const plan: TargetPlan = {
    path: rel, status: 'missing', counted: count, ...emptyTally(), ...emptyHeldTally(),
    kept: [], keptTotal: 0, keptDirs: 0, keptTarget: false, truncated: [], heldUnlinked: [], unreadable: [], denied: [], deniedTotal: 0, deniedRootCan: 0
  }
  const found = lookupTarget(rootDir, rel)
  if (!found.found) {
    plan.status = found.missing ? 'missing' : 'refused'
    plan.reason = found.reason
    return plan
  }
  const { target } = found
  if (target.kind === 'dir' && isOtherMount(rootDir, target.parent, target.name, target.st)) {
    target.parent.close()
    plan.status = 'refused'
    plan.reason = 'it is a mount point (another filesystem or a bind mount), and safe-purge never crosses mounts; unmount it or drop it from ephemeral'
    return plan
  }
  plan.status = 'present'
  plan.kind = target.kind
  plan.dev = target.st.dev
  plan.ino = target.st.ino
  plan.keptTarget = target.kind === 'dir' && options.removeTargetDirs !== true
  if (!count) {
    target.parent.close()
    return plan
  }
  const top: WalkEntry = { parent: target.parent, name: target.name, rel, st: target.st, kind: target.kind }
  const listing = options.list ? new ListingBuilder(rel) : null
  // Would this process be refused the unlink of `e`? Recorded, and counted as removed all the same
  // (the plan says what a run would do; the denial says what stands in its way).
  const check = (e: WalkEntry): void => {
    const d = options.access?.denied(e.parent, e.st, e)
    if (!d) return
    plan.deniedTotal++
    if (d.rootCan) plan.deniedRootCan++
    addByPath(plan.denied, { path: e.rel, code: d.code, why: d.why, rootCan: d.rootCan, owner: d.owner })
  }
  const counter: Visitor = {
    keep(e, reason) {
      plan.keptTotal++
      addKept(plan.kept, { path: e.rel, reason })
    },
    leaf(e) {
      const held = heldOpen(options.held, e)
      if (held !== undefined) {
        const entry = { path: e.rel, bytes: e.st.size, holders: held.holders }
        const reason = held.mapped ? 'mapped' : hasOtherNames(e) ? 'hard-links' : null
        if (reason === null) {
          plan.truncatedFiles++
          plan.truncatedBytes += e.st.size
          addByPath(plan.truncated, entry)
          return true
        }
        plan.heldUnlinkedFiles++
        plan.heldUnlinkedBytes += e.st.size
        addByPath(plan.heldUnlinked, { ...entry, reason })
      }
      check(e)
      listing?.leaf(e.rel, e.kind, e.st.size)
      if (e.kind === 'file') {
        plan.files++
        plan.bytes += e.st.size
      } else {
        plan.others++
      }
      return false
    },
    leaveDir(e, stays) {
      // The target directory itself stays, emptied, unless remove-target-dirs.
      listing?.dir(e.rel, stays || (e === top && plan.keptTarget))
      if (stays) plan.keptDirs++
      else if (!(e === top && plan.keptTarget)) {
        check(e)
        plan.dirs++
      }
      return stays
    },
    error(path, err) {
      const code = (err as NodeJS.ErrnoException)?.code ?? 'UNKNOWN'
      if (options.access && isPermissionCode(code)) plan.deniedRootCan++
      if (plan.unreadable.length < KEPT_LIST_LIMIT) plan.unreadable.push({ path, code, message: `cannot be read: ${errorMessage(err).split(', ')[0]}` })
    }
  }
  try {
    await visit(top, rootDir, policy, counter, pacer)
  } finally {
    target.parent.close()
    finishKept(plan.kept)
    finishByPath(plan.truncated)
    finishByPath(plan.heldUnlinked)
    finishByPath(plan.denied)
    if (listing) plan.listing = listing.finish()
  }
  return plan
}


/** A held file with other names is unlinked, never truncated (the executor re-checks on the open file). */
function hasOtherNames(e: WalkEntry): boolean {
  try {
    return lstatAt(e.parent, e.name).nlink > 1
  } catch {
    return false // gone or unreadable now: the executor finds out
  }
}

function isOtherMount(root: Anchor, parent: Anchor, name: Name, st: { dev: number; ino: number }): boolean {
  if (st.dev !== root.dev) return true
  try {
    const dir = openCheckedDir(parent, name, st)
    const other = !root.sameMount(dir)
    dir.close()
    return other
  } catch {
    return false // not openable now: the walk reports it
  }
}
