/**
 * Pure: what happened -> the JSON report (the `report` output and the CLI's --json) and the
 * console lines. Every path shown on a terminal goes through showPath (control characters
 * escaped, so a file name cannot forge log lines or workflow commands).
 */
import { walkerStatus } from '../fs/anchor.js'
import type { Settings } from './settings.js'
import type { RootInfo } from '../fs/root-guard.js'
import { addTally, emptyHeldTally, type HeldTally, type HeldUnlinkedEntry, type Plan, type KeptEntry, type Tally, type TruncatedEntry } from './plan.js'
import type { Outcome, DeleteError } from './execute.js'
import type { Fingerprint, ProtectedRoot } from './fingerprint.js'
import type { Verification } from './verify.js'
import type { DockerState } from '../docker/state.js'
import type { ServiceRow } from '../docker/services.js'
import { BUILTIN_PROTECTED } from './policy.js'
import type { Listing } from './listing.js'
import { isPermissionCode, recoveryHint } from '../common/errors.js'
import { formatBytes, showPath } from '../common/text.js'
import { privilegedSection, wouldFinish, type PrivilegedInfo, type PrivilegedSection } from './privileged-report.js'
import type { TrashInfo, TrashReport } from './trash.js'
import { TRASH_DIR } from './policy.js'

export const VERSION = '0.1.0'

export interface ReportTarget extends Tally, HeldTally {
  path: string
  /** Files a running process holds open, truncated in place (and left there). */
  truncated: TruncatedEntry[]
  /** Held-open files unlinked anyway (hard links, mapped, or not truncatable): their space may not come back. */
  heldUnlinked: HeldUnlinkedEntry[]
  /** purged | purged-kept | moved | would-purge | would-purge-kept | would-move | missing | refused | changed | failed | not-run */
  result: string
  reason?: string
  kept: KeptEntry[]
  keptTotal: number
  /** Directories kept because they lead to kept entries (the target itself included). */
  keptDirs: number
  /** False in a forced run's plan: the target was found, the purge counts it. */
  counted?: boolean
  /** In a dry run that was asked for it: every entry directly inside the target that would go (bounded). */
  listing?: Listing
}

export interface Report {
  tool: 'safe-purge'
  version: string
  root: string
  dryRun: boolean
  /** The run did all it should, and verification passed. */
  ok: boolean
  /** Protected paths unchanged, targets clean, docker checks passed, after a purge: always false in a dry run (nothing was purged). */
  verified: boolean
  /** One-line reasons the run failed; empty when ok. */
  failures: string[]
  /** Set when the job was cancelled: before anything was deleted, or during the purge. */
  cancelled: 'before-purge' | 'during-purge' | null
  startedAt: string
  finishedAt: string
  durationMs: number
  /** Milliseconds spent in each phase. */
  timings: Record<string, number>
  /** How directories were walked: 'native' (the helper in dist/native/), or why the JavaScript path was used. */
  walker: string
  targets: ReportTarget[]
  /** Root-relative targets removed (in a dry run: that would be removed). */
  deleted: string[]
  totals: Tally & HeldTally
  /**
   * Freed: the bytes the purge removed or truncated, by its own count. Reclaimed: what the root's
   * filesystem gained meanwhile (statfs); null in a dry run, or when no purge ran.
   */
  space: { freedBytes: number; reclaimedBytes: number | null }
  protected: { builtin: readonly string[]; extra: readonly string[]; roots: ProtectedRoot[]; entries: number }
  errors: DeleteError[]
  warnings: string[]
  verification: Omit<Verification, 'protectedRoots'> & { ok: boolean }
  /**
   * Entries this user could not delete and the second pass, as root, that finished them: what it
   * removed, how (sudo, or a container and its image), and why (the entries, their owners). In a
   * dry run: what a real run could not delete as this user, and which mode would handle it. Null
   * when nothing needed it.
   */
  privileged: PrivilegedSection | null
  /** `purge` deletes targets in place; `move` renames them into the trash first (the `trash` section). */
  strategy: 'purge' | 'move'
  /**
   * Strategy move, and trashes earlier runs left (deleted first, whatever the strategy): which
   * targets moved whole (`moved`; in a dry run, would), which were purged in place and why, this
   * run's trash (`run`), whether it was handed to its later deletion (`pending`: the action's post
   * step, the CLI's background process; false when the run was cancelled first: the next run
   * deletes it) or its report (`purge`, with trash: now). Null when none of it applies.
   */
  trash: {
    dir: string
    timing: 'later' | 'now'
    run: string | null
    moved: string[]
    inPlace: { path: string; why: string }[]
    pending: boolean
    purge: TrashReport | null
    leftovers: TrashReport[]
    leftoverRuns: string[]
    /** Trashes set aside as `<run>.kept` for a person to check. */
    kept: string[]
  } | null
  docker: {
    mode: string
    used: boolean
    skipped: string | null
    compose: string | null
    /** The stacks stopped (or that a dry run would stop): which project, its files, and how it was found. */
    stacks: { project: string; files: string[]; workingDir: string; foundBy: string; stoppedBy: string; filesUnusable: string | null; containers: string[]; exited: string[] }[]
    /** Containers outside Compose that write into a target (left running: keep-running). */
    writers: { name: string; image: string; binds: { source: string; destination: string; target: string }[] }[]
    /** True when keep-running left the stack running. */
    keptRunning: boolean
    /** The services reset alone (services option): the stack's containers before and after, and those that came back. */
    services: { project: string; names: string[]; before: ServiceRow[]; after: ServiceRow[]; restarted: string[] } | null
    project: string
    files: string[]
    containers: string[]
    /** Containers not running (exited, created, dead): down removes them. */
    exited: string[]
    stopped: boolean
    volumes: { name: string; key: string; action: string; reason: string }[]
    removedVolumes: string[]
    errors: string[]
    verification: { ok: boolean; problems: string[] } | null
  }
}

/**
 * What a run that stopped without a report leaves (a refusal: a bad input, no confirmation, an
 * unsafe root; or an unexpected error): the action's `report` file, the CLI's --json.
 */
export interface Refusal {
  tool: 'safe-purge'
  version: string
  ok: false
  verified: false
  /** False for a refusal: the run stopped before it changed anything (docker or files). */
  changed: boolean
  failures: string[]
  error: { code: string; message: string }
}

export function refusalOf(err: unknown, message: string, changed: boolean): Refusal {
  const code = (err as { code?: unknown } | null)?.code
  return {
    tool: 'safe-purge', version: VERSION, ok: false, verified: false, changed,
    failures: [message], error: { code: typeof code === 'string' ? code : 'ERR_UNEXPECTED', message }
  }
}

export interface ReportInput {
  settings: Settings
  root: RootInfo
  plan: Plan
  outcome: Outcome | null
  before: Fingerprint
  verification: Verification
  docker: DockerState
  warnings: string[]
  /** Reasons the run already failed (docker, cancellation). */
  failures: string[]
  cancelled: boolean
  /** Strategy move and the trash (run.ts). */
  trash?: TrashInfo
  timings: Record<string, number>
  started: Date
  finished: Date
  /** What the root's filesystem gained during the purge (statfs free space after minus before); null when no purge ran. */
  reclaimed?: number | null
  /** What the run learnt about entries this user cannot delete, and the privileged pass. */
  privileged?: PrivilegedInfo
}

/** The plan's targets as report rows: what a run would do (`not-run` when a real run stopped before). */
export function previewTargets(plan: Plan, dryRun: boolean): ReportTarget[] {
  return plan.targets.map((p) => {
    const result =
      p.status !== 'present' ? p.status
      : !dryRun ? 'not-run'
      : !p.counted ? 'to-purge'
      : p.keptTotal > 0 || p.unreadable.length > 0 ? 'would-purge-kept'
      : 'would-purge'
    // A real run that stopped before the purge removed nothing: its rows count nothing.
    const counts = dryRun
      ? { files: p.files, bytes: p.bytes, dirs: p.dirs, others: p.others, truncatedFiles: p.truncatedFiles, truncatedBytes: p.truncatedBytes, heldUnlinkedFiles: p.heldUnlinkedFiles, heldUnlinkedBytes: p.heldUnlinkedBytes }
      : { files: 0, bytes: 0, dirs: 0, others: 0, ...emptyHeldTally() }
    const held = dryRun ? { truncated: p.truncated, heldUnlinked: p.heldUnlinked } : { truncated: [], heldUnlinked: [] }
    return { path: p.path, result, reason: p.reason, ...counts, ...held, kept: p.kept, keptTotal: p.keptTotal, keptDirs: dryRun ? p.keptDirs : 0, ...(p.counted ? {} : { counted: false }), ...(dryRun && p.listing ? { listing: p.listing } : {}) }
  })
}

export function buildReport(x: ReportInput): Report {
  const dry = x.settings.dryRun
  const preview = previewTargets(x.plan, dry)
  const trash = x.trash
  const purged = new Map((trash?.purge?.targets ?? []).map((t) => [t.path, t]))
  const targets: ReportTarget[] = preview.map((p, i) => {
    const o = x.outcome?.targets[i]
    if (!o) return dry && trash?.moved.includes(p.path) ? { ...p, result: 'would-move' } : p
    // A moved target counts what its trash deletion removed, once that ran (trash: now).
    const t = purged.get(o.path)
    if (o.result === 'moved' && t !== undefined) {
      return { ...p, result: 'moved', files: t.files, bytes: t.bytes, dirs: t.dirs, others: t.others, truncated: [], heldUnlinked: [], kept: [], keptTotal: 0, keptDirs: 0 }
    }
    return {
      path: o.path, result: o.result, reason: o.reason, files: o.files, bytes: o.bytes, dirs: o.dirs, others: o.others,
      truncatedFiles: o.truncatedFiles, truncatedBytes: o.truncatedBytes, heldUnlinkedFiles: o.heldUnlinkedFiles, heldUnlinkedBytes: o.heldUnlinkedBytes,
      truncated: o.truncated, heldUnlinked: o.heldUnlinked, kept: o.kept, keptTotal: o.keptTotal, keptDirs: o.keptDirs
    }
  })
  const errors: DeleteError[] = [...(x.outcome?.errors ?? [])]
  if (dry) {
    // What the plan could not read, or could not unlink, a real run could not delete: the dry run
    // says so now, unless a privileged pass would finish it (then the privileged section lists it).
    const passWould = wouldFinish(x.privileged?.availability, x.settings.privilegedImage) !== null
    for (const t of x.plan.targets) {
      for (const u of t.unreadable) {
        if (passWould && isPermissionCode(u.code)) continue
        errors.push({ path: u.path, code: u.code, message: u.message, hint: recoveryHint(u.code, u.path) })
      }
      for (const d of t.denied) {
        if (passWould && d.rootCan) continue
        errors.push({ path: d.path, code: d.code, message: `cannot be deleted: ${d.why}`, hint: recoveryHint(d.code, d.path), ...(d.owner !== null ? { owner: d.owner } : {}) })
      }
    }
  }
  for (const t of targets) {
    if (t.result === 'refused' && !errors.some((e) => e.path === t.path)) {
      errors.push({ path: t.path, code: 'EREFUSED', message: `refused: ${t.reason}`, hint: recoveryHint('EREFUSED', t.path) })
    }
  }
  const v = x.verification
  const dockerOk = x.docker.errors.length === 0 && (x.docker.verification?.ok ?? true)
  const checksPassed = v.missing.length === 0 && v.changed.length === 0 && v.leftovers.length === 0 && dockerOk
  // A dry run purged nothing, so it verified nothing: `verified` is false there. Its checks (the
  // protected paths did not change while it ran) are in `verification`.
  const verified = !dry && checksPassed
  const failures: string[] = [...x.failures]
  if (v.missing.length + v.changed.length > 0) {
    failures.push(`verification failed: ${v.missing.length} protected path(s) missing and ${v.changed.length} changed (first: ${showPath(v.missing[0] ?? v.changed[0]?.path ?? '')})`)
  }
  if (errors.length > 0) {
    const what = dry ? 'entr(ies) a real run could not delete' : 'deletion error(s)'
    failures.push(`${errors.length} ${what}; first: ${showPath(errors[0].path)}: ${showPath(errors[0].message)}`)
  }
  if (v.leftovers.length > 0) failures.push(`verification failed: ${v.leftovers.length} target(s) still hold deletable entries (first: ${showPath(v.leftovers[0].path)})`)
  for (const e of x.docker.errors) failures.push(`docker: ${e}`)
  for (const p of x.docker.verification?.problems ?? []) failures.push(`docker verification failed: ${p}`)

  const totals: Tally & HeldTally = { files: 0, bytes: 0, dirs: 0, others: 0, ...emptyHeldTally() }
  for (const t of targets) addTally(totals, t)
  const freed = totals.bytes + totals.truncatedBytes
  const reclaimed = x.reclaimed ?? null
  const warnings = [...x.warnings]
  // Freed is what the purge counted; reclaimed is what the filesystem gained. Far apart, a process
  // still holds unlinked files (one this user cannot see), or something else wrote meanwhile.
  if (reclaimed !== null && freed >= 16 * 1024 * 1024 && reclaimed < freed / 2) {
    const held = totals.heldUnlinkedFiles > 0 ? `; ${totals.heldUnlinkedFiles} held-open file(s) (${formatBytes(totals.heldUnlinkedBytes)}) had to be unlinked` : ''
    warnings.push(`the filesystem gained ${formatBytes(Math.max(0, reclaimed))} of the ${formatBytes(freed)} freed: files are likely still held open by processes this user cannot see (other users' /proc without root) or that keep writing${held}`)
  }
  const done = dry ? ['would-purge', 'would-purge-kept', 'would-move'] : ['purged', 'purged-kept', 'moved']
  return {
    tool: 'safe-purge',
    version: VERSION,
    root: x.root.path,
    dryRun: dry,
    ok: failures.length === 0,
    verified,
    failures,
    cancelled: !x.cancelled ? null : x.outcome ? 'during-purge' : 'before-purge',
    startedAt: x.started.toISOString(),
    finishedAt: x.finished.toISOString(),
    durationMs: x.finished.getTime() - x.started.getTime(),
    timings: x.timings,
    walker: walkerStatus(),
    targets,
    deleted: targets.filter((t) => done.includes(t.result)).map((t) => t.path),
    totals,
    space: { freedBytes: freed, reclaimedBytes: reclaimed },
    protected: { builtin: BUILTIN_PROTECTED, extra: x.settings.protected, roots: v.protectedRoots, entries: x.before.entries.size },
    errors,
    warnings,
    verification: { ok: checksPassed, checked: v.checked, missing: v.missing, changed: v.changed, leftovers: v.leftovers },
    privileged: privilegedSection(x.privileged, x.plan, x.settings.privileged, x.settings.privilegedImage, dry),
    strategy: x.settings.strategy,
    trash: trash === undefined || (trash.strategy === 'purge' && trash.leftoverRuns.length === 0 && trash.kept.length === 0)
      ? null
      : {
          dir: `${x.root.path}/${TRASH_DIR}`, timing: trash.timing, run: trash.run, moved: trash.moved, inPlace: trash.inPlace,
          pending: !dry && trash.run !== null && trash.purge === null && trash.handedOff, purge: trash.purge, leftovers: trash.leftovers, leftoverRuns: trash.leftoverRuns, kept: trash.kept
        },
    docker: {
      mode: x.docker.mode,
      used: x.docker.active,
      skipped: x.docker.skipped ?? null,
      compose: x.docker.compose ? `${x.docker.compose.command.join(' ')} (${x.docker.compose.version})` : null,
      stacks: x.docker.stacks.map((s) => ({
        project: s.project, files: s.files, workingDir: s.workingDir, foundBy: s.foundBy, stoppedBy: s.stoppedBy,
        filesUnusable: s.filesUnusable, containers: s.containers, exited: s.exited
      })),
      writers: x.docker.writers,
      keptRunning: x.settings.keepRunning && x.docker.active,
      services: x.docker.services ?? null,
      project: x.docker.project,
      files: x.docker.files,
      containers: x.docker.containers,
      exited: x.docker.exited,
      stopped: x.docker.stopped,
      volumes: x.docker.volumes,
      removedVolumes: x.docker.removedVolumes,
      errors: x.docker.errors,
      verification: x.docker.verification ?? null
    }
  }
}
