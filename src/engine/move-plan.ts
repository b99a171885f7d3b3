/**
 * Strategy move, the planner's half: which targets can be renamed into the trash whole, read-only.
 * A target moves only when it holds nothing to keep: no protected entry (at any depth, by the
 * policy), no mount point, no file a process holds open, no entry this user could not delete,
 * and nothing a running container or process would keep writing into (keep-running, services).
 * Every other target is purged in place, as with strategy purge, and the report says why.
 *
 * Finding protected entries means reading every directory entry once (names only, no stat): in C
 * with the native helper when every pattern is a literal name, else through the policy in
 * JavaScript. That is the one cost of a move that grows with the tree; a protected entry that
 * appears after this look is found by the trash purge, which puts it back (execute-trash.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Policy } from './policy.js'
import type { Plan, TargetPlan } from './plan.js'
import { lookupTarget, openCheckedDir } from '../fs/lookup.js'
import { fastPath, lstatAt, type Anchor } from '../fs/anchor.js'
import { kindOf, typedEntries } from '../fs/entries.js'
import { probeKept } from '../fs/move.js'
import { usersUnder } from '../fs/holders.js'

export interface MoveDecision {
  path: string
  move: boolean
  /** Why it is purged in place instead (one line). */
  why?: string
}

export interface MoveContext {
  keepRunning: boolean
  services: readonly string[]
  /** Target directories go too (no empty replacement is needed). */
  removeTargetDirs: boolean
  /**
   * The run checks, in every plan (dry or real), what this user could not delete (an ordinary
   * user with a privileged pass): then such targets stay. Otherwise the plan's counts are not
   * used, so that a dry run decides as the real run will.
   */
  checks: boolean
}

/** Deeper than this, the JavaScript look gives up and the target is purged in place. */
const MAX_DEPTH = 1024

/** Which targets move whole, and why the others stay. */
export function decideMoves(rootDir: Anchor, rootPath: string, plan: Plan, policy: Policy, ctx: MoveContext): { decisions: MoveDecision[]; warnings: string[] } {
  const present = plan.targets.filter((t) => t.status === 'present')
  const stay = (t: TargetPlan, why: string): MoveDecision => ({ path: t.path, move: false, why })
  if (ctx.keepRunning) return { decisions: present.map((t) => stay(t, 'keep-running: its writers keep running and would write into the moved directory')), warnings: [] }
  if (ctx.services.length > 0) return { decisions: present.map((t) => stay(t, 'services: the services left running may write into it')), warnings: [] }
  const mounts = mountPoints()
  const abs = (t: TargetPlan): string => path.join(rootPath, t.path)
  const { users, uninspected } = usersUnder(present.map(abs))
  const warnings = uninspected > 0 ? [`${uninspected} process(es) of other users could not be inspected (run as root to see them): a file one of them holds open in a moved target is deleted with the trash, and its space comes back only when it closes it`] : []
  const decisions = present.map((t) => {
    if (ctx.checks && (t.deniedTotal > 0 || t.unreadable.length > 0)) return stay(t, `${t.deniedTotal + t.unreadable.length} entr(ies) in it cannot be deleted by this user (the privileged pass finishes them in place)`)
    const exact = policy.exact.find((e) => e.startsWith(`${t.path}/`))
    if (exact !== undefined) return stay(t, `it holds ${exact}, protected as a file this run uses`)
    const mount = mounts.find((m) => m.startsWith(`${abs(t)}/`))
    if (mount !== undefined) return stay(t, `it holds a mount point (${mount})`)
    if (t.kind === 'dir' && !ctx.removeTargetDirs && fastPath() === null) {
      return stay(t, 'without the native helper, the ACLs of the empty directory that replaces it cannot be copied (remove-target-dirs needs no replacement)')
    }
    const user = users.get(abs(t))?.[0]
    if (user !== undefined) return stay(t, `process ${user.pid} (${user.command}) has something in it open`)
    const found = look(rootDir, t.path, policy, true)
    if (found !== null) return stay(t, found)
    return { path: t.path, move: true }
  })
  return { decisions, warnings }
}

/**
 * Targets whose insides the fingerprint need not read: `known` (looked through already: the targets
 * that move), and those in which the native helper's look finds no protected
 * entry, mount point or unreadable directory in them, and no exact protected path lies under them.
 * Without the helper (or with patterns it cannot match), none: the fingerprint's own walk is then
 * as fast as a look in JavaScript would be.
 */
export function nothingToFingerprintIn(rootDir: Anchor, plan: Plan, policy: Policy, known: ReadonlySet<string>): Set<string> {
  const clean = new Set<string>(known)
  if (fastPath() === null || policy.literalNames === null) return clean
  for (const t of plan.targets) {
    if (t.status !== 'present' || known.has(t.path) || policy.exact.some((e) => e.startsWith(`${t.path}/`))) continue
    if (look(rootDir, t.path, policy, false) === null) clean.add(t.path)
  }
  return clean
}

/**
 * Why the target must be purged in place (a protected entry, a mount point, a read error), or
 * null. `jsToo`: walk in JavaScript where the native helper cannot look (else that is a reason).
 */
function look(rootDir: Anchor, rel: string, policy: Policy, jsToo: boolean): string | null {
  const found = lookupTarget(rootDir, rel)
  if (!found.found) return `it could not be looked at again: ${found.reason}`
  const { target } = found
  try {
    if (target.kind !== 'dir') return null
    let dir: Anchor
    try {
      dir = openCheckedDir(target.parent, target.name, target.st)
    } catch (err) {
      return `it cannot be opened (${(err as NodeJS.ErrnoException).code ?? 'error'})`
    }
    try {
      const lit = policy.literalNames
      const r = lit !== null ? probeKept(dir, lit.names, lit.dirNames) : 'unsupported'
      if (r === null) return null
      if (r !== 'unsupported') return stays(`${rel}/${r.path}`, r.reason, r.code)
      return jsToo ? lookJs(rootDir, dir, rel, policy, 0) : 'the native helper cannot look'
    } finally {
      dir.close()
    }
  } finally {
    target.parent.close()
  }
}

function stays(rel: string, reason: 'protected' | 'mount-point' | 'unreadable', code?: string): string {
  if (reason === 'protected') return `it holds ${rel}, which is protected`
  if (reason === 'mount-point') return `it holds a mount point (${rel})`
  return `${rel} could not be read (${code ?? 'error'})`
}

/** The policy's own walk, names only (d_type), stopping at the first entry that must stay. */
function lookJs(rootDir: Anchor, dir: Anchor, dirRel: string, policy: Policy, depth: number): string | null {
  if (depth > MAX_DEPTH) return `it is deeper than ${MAX_DEPTH} levels`
  try {
    for (const d of typedEntries(dir)) {
      const text = d.name.toString('utf8')
      const rel = `${dirRel}/${text}`
      let kind = d.kind
      if (kind === null) {
        try {
          kind = kindOf(lstatAt(dir, d.name))
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
          return stays(rel, 'unreadable', (err as NodeJS.ErrnoException).code)
        }
      }
      if (policy.isProtectedIn(dirRel, text, kind === 'dir')) return stays(rel, 'protected')
      if (kind !== 'dir') continue
      let child: Anchor
      try {
        child = dir.openChild(d.name)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
        return stays(rel, 'unreadable', (err as NodeJS.ErrnoException).code)
      }
      try {
        if (!rootDir.sameMount(child)) return stays(rel, 'mount-point')
        const r = lookJs(rootDir, child, rel, policy, depth + 1)
        if (r !== null) return r
      } finally {
        child.close()
      }
    }
  } catch (err) {
    return stays(dirRel, 'unreadable', (err as NodeJS.ErrnoException).code)
  }
  return null
}

/** Every mount point of this process's view (/proc/self/mountinfo, octal escapes decoded). */
function mountPoints(): string[] {
  try {
    return fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((m): m is string => m !== undefined)
      .map((m) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
  } catch {
    return []
  }
}
