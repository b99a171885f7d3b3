/**
 * What a run says about entries this user cannot delete: the refusal of a real run that could not
 * finish them (before anything changes), and the report's `privileged` section: what the second
 * pass removed, how (sudo, or a container and its image), and why (the entries and their owners);
 * in a dry run, which entries a real run could not delete and which mode would handle them.
 */
import fs from 'node:fs'
import { fail, isPermissionCode } from '../common/errors.js'
import { showPath } from '../common/text.js'
import type { OptionNames, PrivilegedMode } from '../common/options.js'
import type { DeleteError } from './execute.js'
import type { Plan } from './plan.js'

export interface Escalation {
  via: 'sudo' | 'container'
  /** The container's image; null for sudo. */
  image: string | null
  /** The image was pulled to make the pass possible. */
  pulled: boolean
}

export interface Availability {
  use: Escalation | null
  /** Why each mode tried could not be used ("sudo: a password is required", ...). */
  tried: string[]
  /** No mode now, but the container's image is only missing: a real run may pull it (a dry run never does). */
  pullable: boolean
}

/**
 * The mode that would finish what this user cannot delete: the one found, or (a dry run pulls
 * nothing) the container when only its image is missing, which a real run pulls first.
 */
export function wouldFinish(availability: Availability | null | undefined, image: string): Escalation | null {
  if (availability?.use) return availability.use
  return availability?.pullable ? { via: 'container', image, pulled: false } : null
}

/** How many entries the report names (all are counted). */
export const PRIVILEGED_LIST_LIMIT = 50

/** What the run learnt about escalation, for the report. */
export interface PrivilegedInfo {
  /** Which mode can run (resolved only when something needed it). */
  availability: Availability | null
  /** The first pass's permission errors (a real run). */
  firstPass: DeleteError[]
  /** The pass that ran, with its report, or why it did not answer. */
  ran: (Escalation & { command: string; targets: string[]; report: { totals: { files: number; bytes: number } } | null; problem: string | null }) | null
  /** Why it did not run, when it was needed. */
  notes: string[]
}

export interface PrivilegedEntry {
  path: string
  code: string
  /** The uid owning the entry, and its name when this machine knows it. */
  owner: number | null
  ownerName: string | null
  why: string
}

export interface PrivilegedSection {
  mode: PrivilegedMode
  /** The mode that ran (a dry run: that a real run would use); null when none did or could. */
  via: 'sudo' | 'container' | null
  image: string | null
  /** True when the second pass ran. */
  ran: boolean
  /** The targets handed to the pass (only those with permission errors). */
  targets: string[]
  /** The entries this user could not delete (the first PRIVILEGED_LIST_LIMIT), and how many in all. */
  entries: PrivilegedEntry[]
  entriesTotal: number
  /** What the second pass removed. */
  removedFiles: number
  removedBytes: number
  /** Why it did not run, modes tried, what went wrong. */
  notes: string[]
}

/** What a plan says this user could not delete: how many a root pass could, and the first of each kind. */
export interface DeniedSummary {
  rootCan: number
  first: { path: string; why: string } | null
  firstBlocked: { path: string; why: string } | null
}

export function deniedEntries(plan: Plan): DeniedSummary {
  let rootCan = 0
  let first: DeniedSummary['first'] = null
  let firstBlocked: DeniedSummary['firstBlocked'] = null
  for (const t of plan.targets) {
    rootCan += t.deniedRootCan
    for (const d of t.denied) {
      if (d.rootCan) first ??= { path: d.path, why: d.why }
      else firstBlocked ??= { path: d.path, why: d.why }
    }
    // Another read error (a directory still filling, one replaced meanwhile) is no permission
    // matter: the purge meets it, and reports it, as it always did.
    for (const u of t.unreadable) if (isPermissionCode(u.code)) first ??= { path: u.path, why: u.message }
  }
  return { rootCan, first, firstBlocked }
}

/**
 * A real run whose plan shows entries this user cannot delete refuses before it stops the stack
 * or changes anything, when no privileged pass can finish them (or nobody can: a flag, a
 * read-only filesystem). `planning`: before the confirmation, a missing image that a pull may
 * bring is no reason to refuse yet (it is pulled once the run is confirmed, then checked again).
 */
export function refusePermissions(denied: DeniedSummary, availability: Availability | null, names: OptionNames, planning: boolean): void {
  const uid = process.geteuid?.() ?? -1
  if (denied.firstBlocked !== null) {
    const b = denied.firstBlocked
    throw fail('ERR_PERMISSION', `refusing to purge: ${showPath(b.path)} cannot be deleted (${b.why}), by this user or root; clear the flag (chattr -i -a) or make it writable, or drop it from ${names('ephemeral')}; nothing was changed`)
  }
  if (denied.rootCan === 0 || availability?.use || (planning && availability?.pullable)) return
  const f = denied.first as { path: string; why: string }
  const tried = availability ? availability.tried.join('; ') : `${names('privileged')} is off`
  throw fail(
    'ERR_PERMISSION',
    `refusing to purge: ${denied.rootCan} entr(ies) cannot be deleted by uid ${uid} (first: ${showPath(f.path)}: ${f.why}) and no privileged pass can finish them (${tried}); set ${names('privileged')} to sudo (a NOPASSWD sudo rule for this user) or container (this user in the docker group, ${names('privileged-image')} present or pullable), or run as root; nothing was changed`
  )
}

let users: Map<number, string> | null = null

/** The user name of `uid` on this machine (/etc/passwd), or null. */
export function userName(uid: number): string | null {
  if (users === null) {
    users = new Map()
    try {
      for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , id] = line.split(':')
        if (name && id && /^\d+$/.test(id) && !users.has(Number(id))) users.set(Number(id), name)
      }
    } catch {
      // no names: uids only
    }
  }
  return users.get(uid) ?? null
}

function entry(path: string, code: string, owner: number | null, why: string): PrivilegedEntry {
  return { path, code, owner, ownerName: owner === null ? null : userName(owner), why }
}

/** The report's `privileged` section; null when nothing needed a privileged pass. */
export function privilegedSection(info: PrivilegedInfo | undefined, plan: Plan, mode: PrivilegedMode, image: string, dryRun: boolean): PrivilegedSection | null {
  if (!info) return null
  const entries: PrivilegedEntry[] = []
  let total = 0
  if (dryRun) {
    for (const t of plan.targets) {
      for (const d of t.denied) if (d.rootCan) entries.push(entry(d.path, d.code, d.owner, d.why))
      for (const u of t.unreadable) if (isPermissionCode(u.code)) entries.push(entry(u.path, u.code, null, u.message))
      total += t.deniedRootCan
    }
  } else {
    for (const e of info.firstPass) entries.push(entry(e.path, e.code, e.owner ?? null, e.message))
    total = info.firstPass.length
  }
  if (total === 0 && info.ran === null) return null
  const use = info.ran ?? (dryRun ? wouldFinish(info.availability, image) : info.availability?.use) ?? null
  const wouldPull = dryRun && !info.availability?.use && use !== null
  const passReport = info.ran?.report ?? null
  const notes = [...info.notes]
  if (dryRun && info.availability && !use) notes.push(`no privileged pass is available: ${info.availability.tried.join('; ')}`)
  if (wouldPull) notes.push(`the image ${image} is not on this machine: a real run pulls it first, and refuses before changing anything if it cannot`)
  if (info.ran?.problem) notes.push(info.ran.problem)
  // What the pass removed: its own report's totals (merged into the outcome's, so also counted there).
  return {
    mode,
    via: use?.via ?? null,
    image: use?.image ?? null,
    ran: info.ran !== null,
    targets: info.ran?.targets ?? [],
    entries: entries.slice(0, PRIVILEGED_LIST_LIMIT),
    entriesTotal: total,
    removedFiles: passReport?.totals.files ?? 0,
    removedBytes: passReport?.totals.bytes ?? 0,
    notes
  }
}
