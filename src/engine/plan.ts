/**
 * The planner: scans each target without following links and without changing anything, and
 * says what a real run would remove (counts and bytes) and what would stay (protected entries,
 * mount points, parents of those). A dry run prints exactly this.
 */
import type { Policy } from './policy.js'
import { lookupTarget, openCheckedDir } from '../fs/lookup.js'
import { type Anchor, type Name } from '../fs/anchor.js'
import { type Kind } from '../fs/entries.js'
import { visit, type KeepReason, type Visitor } from './walk.js'
import { Pacer } from './pace.js'
import { errorMessage } from '../common/errors.js'

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
  /** Directories. */
  dirs: number
  /** Symlinks, FIFOs, sockets, device nodes. */
  others: number
}

export interface TargetPlan extends Tally {
  path: string
  status: 'present' | 'missing' | 'refused'
  reason?: string
  kind?: Kind
  dev?: number
  ino?: number
  kept: KeptEntry[]
  keptTotal: number
  /** Directories that stay because they lead to kept entries (the target itself included). */
  keptDirs: number
  /** False when only the target itself was looked at (its counts are zero, not measured). */
  counted: boolean
  /** Entries that could not be read while scanning (they will stay). */
  unreadable: { path: string; code: string; message: string }[]
}

export interface Plan {
  root: string
  targets: TargetPlan[]
  totals: Tally & { kept: number }
}

export function emptyTally(): Tally {
  return { files: 0, bytes: 0, dirs: 0, others: 0 }
}

/**
 * Adds a kept entry to a target's bounded list. The list names the first KEPT_LIST_LIMIT paths in
 * sorted order (call `finishKept` when the walk is done), so that a dry run and a real run, whose
 * directory visits may interleave differently, name the same entries.
 */
export function addKept(list: KeptEntry[], entry: KeptEntry): void {
  list.push(entry)
  if (list.length >= 2 * KEPT_LIST_LIMIT) finishKept(list)
}

export function finishKept(list: KeptEntry[]): void {
  list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  if (list.length > KEPT_LIST_LIMIT) list.length = KEPT_LIST_LIMIT
}

/**
 * `count: false` only finds each target (kind, device+inode, mount): for a run nobody reviews
 * before it starts (forced), the purge itself counts, so the tree is walked once.
 */
export async function scanTargets(rootDir: Anchor, root: string, targets: readonly string[], policy: Policy, count = true, signal?: AbortSignal): Promise<Plan> {
  const planned: TargetPlan[] = []
  // A cancelled scan stops where it is: nothing was changed, and the run then reports the cancellation.
  const pacer = new Pacer(signal)
  for (const t of targets) planned.push(await scanTarget(rootDir, t, policy, pacer, count))
  const totals = { ...emptyTally(), kept: 0 }
  for (const t of planned) {
    totals.files += t.files
    totals.bytes += t.bytes
    totals.dirs += t.dirs
    totals.others += t.others
    totals.kept += t.keptTotal
  }
  return { root, targets: planned, totals }
}

export async function scanTarget(rootDir: Anchor, rel: string, policy: Policy, pacer = new Pacer(), count = true): Promise<TargetPlan> {
  const plan: TargetPlan = { path: rel, status: 'missing', counted: count, ...emptyTally(), kept: [], keptTotal: 0, keptDirs: 0, unreadable: [] }
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
  if (!count) {
    target.parent.close()
    return plan
  }
  const counter: Visitor = {
    keep(e, reason) {
      plan.keptTotal++
      addKept(plan.kept, { path: e.rel, reason })
    },
    leaf(e) {
      if (e.kind === 'file') {
        plan.files++
        plan.bytes += e.st.size
      } else {
        plan.others++
      }
      return false
    },
    leaveDir(_e, stays) {
      if (stays) plan.keptDirs++
      else plan.dirs++
      return stays
    },
    error(path, err) {
      const code = (err as NodeJS.ErrnoException)?.code ?? 'UNKNOWN'
      if (plan.unreadable.length < KEPT_LIST_LIMIT) plan.unreadable.push({ path, code, message: `cannot be read: ${errorMessage(err).split(', ')[0]}` })
    }
  }
  try {
    await visit({ parent: target.parent, name: target.name, rel, st: target.st, kind: target.kind }, rootDir, policy, counter, pacer)
  } finally {
    target.parent.close()
    finishKept(plan.kept)
  }
  return plan
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
