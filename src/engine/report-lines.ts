/**
 * The report as a person reads it on a console: the plan (what goes, what stays), the stacks,
 * the result and the verification, one line each, user-controlled text escaped.
 */
import path from 'node:path'
import { formatBytes, oneLine, showPath } from '../common/text.js'
import type { Tally } from './plan.js'
import type { Report, ReportTarget } from './report.js'
import type { KeptEntry, TruncatedEntry } from './plan.js'
import type { Listing } from './listing.js'

function countLine(t: Tally): string {
  const parts = [`${t.files} file(s)`, formatBytes(t.bytes)]
  if (t.dirs) parts.push(`${t.dirs} dir(s)`)
  if (t.others) parts.push(`${t.others} link(s)/special`)
  return parts.join(', ')
}

/** What a listed target shows: the listing, and what stays inside it. */
export interface ListedTarget {
  path: string
  listing?: Listing
  kept: KeptEntry[]
  keptTotal: number
  truncated: TruncatedEntry[]
  truncatedFiles: number
}

/**
 * The listing (--list): for each target, every entry directly inside it that goes (a directory
 * with what it holds), then what stays inside it; bounded, with counts for the rest.
 */
export function listingLines(targets: readonly ListedTarget[], dryRun: boolean): string[] {
  const listed = targets.filter((t) => t.listing)
  if (listed.length === 0) return []
  const goes = dryRun ? 'would go' : 'goes'
  const out = [`listing (- ${goes}; ~ ${dryRun ? 'would be ' : 'is '}emptied, it stays for what stays inside; = stays):`]
  for (const t of listed) {
    const { entries, more, itselfGoes } = t.listing as Listing
    out.push(`  ${showPath(t.path)}:${entries.length + more.entries === 0 && !itselfGoes ? ` nothing inside it ${goes}` : ''}`)
    // A directory target removed once emptied (remove-target-dirs) goes too.
    if (itselfGoes) out.push(`    - ${showPath(t.path)}/ (the directory itself, once emptied)`)
    for (const e of entries) {
      const size = e.kind === 'dir' ? `${e.files} file(s), ${formatBytes(e.bytes)}, ${e.inside} entr${e.inside === 1 ? 'y' : 'ies'} inside` : e.kind === 'file' ? formatBytes(e.bytes) : e.kind
      out.push(`    ${e.keeps ? '~' : '-'} ${showPath(e.path)}${e.kind === 'dir' ? '/' : ''} (${size})`)
    }
    if (more.entries > 0) out.push(`    - ... and ${more.entries} more entr${more.entries === 1 ? 'y' : 'ies'}: ${more.files} file(s), ${formatBytes(more.bytes)} (the JSON report names the first ${entries.length})`)
    for (const k of t.kept) out.push(`    = ${showPath(k.path)} (${k.reason === 'protected' ? 'protected' : 'a mount point, never crossed'})`)
    if (t.keptTotal > t.kept.length) out.push(`    = ... and ${t.keptTotal - t.kept.length} more kept`)
    for (const h of t.truncated) out.push(`    = ${showPath(h.path)} (held open by a running process: truncated in place, ${formatBytes(h.bytes)})`)
    if (t.truncatedFiles > t.truncated.length) out.push(`    = ... and ${t.truncatedFiles - t.truncated.length} more held-open file(s) truncated in place`)
  }
  return out
}

/** The plan as a person reads it: what goes, what stays. Also the dry run's main output. */
export function planLines(targets: readonly ReportTarget[]): string[] {
  const out: string[] = []
  for (const t of targets) {
    const why = t.reason ? ` (${t.reason})` : ''
    if (t.result === 'missing' || t.result === 'refused' || t.counted === false) {
      out.push(`${t.result.padEnd(16)} ${showPath(t.path)}${why}`)
      continue
    }
    out.push(`${t.result.padEnd(16)} ${showPath(t.path)}: ${countLine(t)}${t.keptTotal ? `, keeps ${t.keptTotal} protected/mount entr${t.keptTotal === 1 ? 'y' : 'ies'} and the ${t.keptDirs} dir(s) leading to them` : ''}${why}`)
    for (const k of t.kept.slice(0, 20)) out.push(`  keep ${showPath(k.path)} (${k.reason})`)
    if (t.kept.length > 20 || t.keptTotal > t.kept.length) out.push(`  ... and ${t.keptTotal - Math.min(t.kept.length, 20)} more kept`)
  }
  return out
}

type StackReport = Report['docker']['stacks'][number]

/** One stack as a person reads it: which project, from which files, found how, and what happens to it. */
export function stackLine(s: StackReport, dryRun: boolean, stopped: boolean, keptRunning: boolean, compose: string | null): string {
  const list = (n: string[]): string => (n.length ? n.join(', ') : 'none')
  const stop = keptRunning ? 'left running (keep-running)' : dryRun ? 'would be stopped' : stopped ? 'stopped' : 'not stopped'
  const gone = keptRunning ? 'left' : dryRun ? 'would be removed' : stopped ? 'removed' : 'not removed'
  const how = s.stoppedBy === 'compose down' ? `${compose ?? 'compose'} down` : `docker stop and rm by label (${s.filesUnusable})`
  const files = s.files.length ? s.files.map(showPath).join(', ') : 'no files'
  return `docker: project ${showPath(s.project)} (${files}; found by ${s.foundBy}; ${how}): running containers ${list(s.containers)} ${stop}${s.exited.length ? `; other containers ${list(s.exited)} ${gone}` : ''}`
}

/** The privileged pass: what it removed, how, and why; or (a dry run) which mode would; or why none could. */
export function privilegedLines(r: Report): string[] {
  const p = r.privileged
  if (!p) return []
  const out: string[] = []
  const how = p.via === 'sudo' ? 'sudo' : `a container (${showPath(p.image ?? '')})`
  if (p.ran) out.push(`privileged pass (${how}, as root) on ${p.targets.map(showPath).join(', ')}: removed ${p.removedFiles} file(s), ${formatBytes(p.removedBytes)}, in the targets this user could not finish`)
  else if (r.dryRun && p.via) out.push(`${p.entriesTotal} entr(ies) cannot be deleted as this user: a real run would finish them as root through ${how}`)
  else if (r.dryRun) out.push(`${p.entriesTotal} entr(ies) cannot be deleted as this user, and no privileged pass is available to finish them`)
  else out.push(`${p.entriesTotal} entr(ies) could not be deleted as this user, and no privileged pass finished them`)
  for (const e of p.entries.slice(0, 10)) out.push(`  ${showPath(e.path)}: owner ${e.owner ?? '?'}${e.ownerName ? ` (${showPath(e.ownerName)})` : ''}: ${oneLine(e.why)}`)
  if (p.entriesTotal > Math.min(p.entries.length, 10)) out.push(`  ... and ${p.entriesTotal - Math.min(p.entries.length, 10)} more (see the JSON report)`)
  for (const n of p.notes) out.push(`  ${oneLine(n)}`)
  return out
}

/** Strategy move and the trash: what moved whole, what was purged in place and why, leftovers. */
export function trashLines(r: Report): string[] {
  const t = r.trash
  if (t === null) return []
  const out: string[] = []
  if (t.moved.length > 0) {
    const then = r.dryRun ? 'would move' : 'moved'
    const when = r.dryRun ? '' : t.pending ? `; its deletion comes later (trash ${t.run})` : t.purge === null ? `; the next run deletes the trash (${t.run}) first` : ''
    out.push(`${then} into the trash in one rename each: ${t.moved.map(showPath).join(', ')}${when}`)
  }
  for (const p of t.inPlace) out.push(`purged in place, not moved: ${showPath(p.path)}: ${oneLine(p.why)}`)
  if (t.purge !== null) out.push(`trash deleted: ${countLine(t.purge.totals)} in ${(t.purge.durationMs / 1000).toFixed(1)} s${t.purge.ok ? '' : ` (failed: ${oneLine(t.purge.failures[0] ?? '')})`}`)
  if (r.dryRun && t.leftoverRuns.length > 0) out.push(`${t.leftoverRuns.length} trash(es) left by earlier runs: a real run deletes them first`)
  for (const l of t.leftovers) out.push(`trash ${l.run} left by an earlier run: deleted ${countLine(l.totals)}${l.ok ? '' : ` (failed: ${oneLine(l.failures[0] ?? '')})`}`)
  return out
}

export function resultLines(r: Report): string[] {
  const out: string[] = []
  const verb = r.dryRun ? 'would remove' : 'removed'
  out.push(`${verb} ${countLine(r.totals)} from ${r.deleted.length} target(s)`)
  const t = r.totals
  if (t.truncatedFiles > 0) {
    out.push(`${r.dryRun ? 'would truncate' : 'truncated'} ${t.truncatedFiles} file(s) held open by running processes, ${formatBytes(t.truncatedBytes)}: they stay, empty, and their writers go on`)
    for (const e of r.targets.flatMap((x) => x.truncated).slice(0, 20)) out.push(`  truncated ${showPath(e.path)} (${formatBytes(e.bytes)}; held by ${e.holders.map((h) => `${h.pid} ${showPath(h.command)}`).join(', ') || 'a running process'})`)
  }
  if (t.heldUnlinkedFiles > 0) out.push(`${t.heldUnlinkedFiles} held-open file(s) ${r.dryRun ? 'would be' : 'were'} unlinked, not truncated (hard links, or mapped into memory), ${formatBytes(t.heldUnlinkedBytes)}: their space comes back only when their processes close them`)
  if (r.dryRun) out.push(...listingLines(r.targets, true))
  out.push(...privilegedLines(r))
  out.push(...trashLines(r))
  if (r.space.reclaimedBytes !== null) out.push(`freed ${formatBytes(r.space.freedBytes)}; the filesystem gained ${formatBytes(Math.max(0, r.space.reclaimedBytes))}`)
  if (r.docker.used) {
    const d = r.docker
    for (const s of d.stacks) out.push(stackLine(s, r.dryRun, d.stopped, d.keptRunning, d.compose))
    if (d.services) {
      const back = r.dryRun ? 'would be started again' : `started again: ${d.services.restarted.join(', ') || 'none'}`
      out.push(`docker: services reset: ${d.services.names.join(', ')} (${back}); the others keep running`)
      for (const row of d.services.after) out.push(`  ${row.service} ${row.name} ${row.id} ${row.state}${row.health ? ` (${row.health})` : ''} since ${row.startedAt}`)
    }
    for (const w of d.writers) out.push(`docker: container ${showPath(w.name)} (not Compose) writes into ${w.binds.map((b) => showPath(path.relative(r.root, b.target) || '.')).join(', ')}: left running (keep-running)`)
    for (const v of r.docker.volumes) out.push(`  volume ${v.name}: ${v.action === 'remove' ? (r.dryRun ? 'would be removed' : r.docker.removedVolumes.includes(v.name) ? 'removed' : 'NOT removed') : `kept (${v.reason})`}`)
  }
  for (const e of r.errors) out.push(`error: ${showPath(e.path)}: ${showPath(e.message)}\n  recovery: ${oneLine(e.hint)}`)
  const v = r.verification
  const cancelled = r.targets.filter((t) => t.result === 'cancelled').length
  const clean = cancelled > 0 ? `; the purge was cancelled: ${cancelled} target(s) it did not finish still hold files` : ', every target clean'
  const entries = `${v.checked} protected entr${v.checked === 1 ? 'y' : 'ies'}`
  out.push(
    r.dryRun
      ? v.ok
        ? `dry run, nothing verified: ${entries} fingerprinted, none changed while it ran; a real run verifies them after its purge`
        : `dry run: ${v.missing.length} protected path(s) vanished and ${v.changed.length} changed while it ran (something else is writing there)`
      : v.ok
        ? `verified: ${entries} unchanged${clean}`
        : `NOT verified: ${v.missing.length} missing, ${v.changed.length} changed, ${v.leftovers.length} target(s) not clean`
  )
  for (const m of v.missing.slice(0, 50)) out.push(`  missing: ${showPath(m)}`)
  for (const c of v.changed.slice(0, 50)) out.push(`  changed: ${showPath(c.path)} (${c.what})`)
  for (const l of v.leftovers.slice(0, 50)) out.push(l.remaining === 0 ? `  still there: ${showPath(l.path)}` : `  left in ${showPath(l.path)}: ${l.remaining} entr${l.remaining === 1 ? 'y' : 'ies'}`)
  return out
}
