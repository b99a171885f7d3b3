/**
 * Pure: Report -> the job summary's HTML. Every user-controlled string is escaped (file names
 * reach HTML), long names are shortened, and each list has a byte budget and is cut between rows,
 * so the summary stays far below GitHub's 1 MiB step-summary limit and is always well-formed HTML.
 * The verdict (failures, verification) comes first: a cut can only shorten the lists after it.
 */
import { type Report } from '../engine/report.js'
import { formatBytes, oneLine, showPath } from '../common/text.js'

export const MAX_ROWS = 100
export const MAX_NAME = 300
/** Budget of each table or list; six of them plus the fixed text stay under ~400 KiB. */
export const MAX_TABLE_BYTES = 64 * 1024

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Shown form of a path: control characters escaped, shortened, HTML-escaped. */
export function cell(s: string): string {
  const shown = showPath(s)
  return escapeHtml(shown.length > MAX_NAME ? `${shown.slice(0, MAX_NAME)}…` : shown)
}

/** As many items as fit MAX_ROWS and the byte budget, and a note saying how many were left out. */
function fit(items: string[], total: number): { body: string; more: string } {
  const kept: string[] = []
  let bytes = 0
  for (const item of items.slice(0, MAX_ROWS)) {
    bytes += Buffer.byteLength(item) + 1
    if (bytes > MAX_TABLE_BYTES) break
    kept.push(item)
  }
  const left = total - kept.length
  return { body: kept.join('\n'), more: left > 0 ? `<p>… ${left} more not shown (see the JSON report)</p>\n` : '' }
}

export function table(head: string[], rows: string[][], total = rows.length): string {
  const th = head.map((h) => `<th>${h}</th>`).join('')
  const { body, more } = fit(rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`), total)
  return `<table><tr>${th}</tr>\n${body}</table>\n${more}`
}

function list(items: string[]): string {
  const { body, more } = fit(items.map((i) => `<li>${i}</li>`), items.length)
  return `<ul>${body}</ul>\n${more}`
}

function verification(r: Report): string {
  const v = r.verification
  const d = r.docker
  const parts = [r.dryRun ? '<h3>Checks (dry run: nothing verified)</h3>\n' : '<h3>Verification</h3>\n']
  if (r.dryRun) {
    // Nothing was purged, so nothing was verified; say what a dry run did check.
    parts.push(v.ok
      ? `<p>Nothing was purged, so nothing was verified (<code>verified</code> is false). ${v.checked} protected entr${v.checked === 1 ? 'y was' : 'ies were'} fingerprinted and none changed while the dry run ran; a real run verifies them after its purge.</p>\n`
      : `<p>❌ ${v.missing.length} protected path(s) vanished and ${v.changed.length} changed while the dry run ran: something else writes there.</p>\n`)
  } else parts.push(v.ok
    ? `<p>✅ ${v.checked} protected entr${v.checked === 1 ? 'y' : 'ies'} unchanged; every target gone or holding only kept entries${d.verification ? '; no project container left, removed volumes gone' : ''}.</p>\n`
    : `<p>❌ ${v.missing.length} missing, ${v.changed.length} changed, ${v.leftovers.length} target(s) not clean.</p>\n`)
  const problems = [
    ...v.missing.map((m) => [`<code>${cell(m)}</code>`, 'missing']),
    ...v.changed.map((c) => [`<code>${cell(c.path)}</code>`, `changed: ${cell(c.what)}`]),
    ...v.leftovers.map((l) => [`<code>${cell(l.path)}</code>`, l.remaining === 0 ? 'still there' : `${l.remaining} entr${l.remaining === 1 ? 'y' : 'ies'} left`]),
    ...(d.verification?.problems ?? []).map((p) => ['docker', cell(p)])
  ]
  if (problems.length > 0) parts.push(table(['Path', 'Problem'], problems))
  return parts.join('')
}

function docker(r: Report): string {
  const d = r.docker
  const parts = ['<h3>Docker</h3>\n']
  if (!d.used) {
    parts.push(`<p>Not used: ${cell(d.skipped ?? d.mode)}</p>\n`)
    return parts.join('')
  }
  const stop = d.keptRunning ? 'left running (keep-running)' : r.dryRun ? 'would be stopped' : d.stopped ? 'stopped' : 'not stopped'
  const names = (cs: string[]): string =>
    cs.length === 0 ? 'none' : cs.slice(0, MAX_ROWS).map((c) => `<code>${cell(c)}</code>`).join(', ') + (cs.length > MAX_ROWS ? ` and ${cs.length - MAX_ROWS} more` : '')
  parts.push(table(['Project', 'Compose files', 'Found by', 'Stopped by', 'Running containers', 'Other containers'], d.stacks.map((s) => [
    `<code>${cell(s.project)}</code>`,
    s.files.length ? s.files.map((f) => `<code>${cell(f)}</code>`).join('<br>') : 'none',
    cell(s.foundBy),
    s.stoppedBy === 'compose down' ? `${cell(d.compose ?? 'compose')} down` : `docker stop and rm by label: ${cell(s.filesUnusable ?? '')}`,
    `${names(s.containers)} (${stop})`,
    names(s.exited)
  ])))
  if (d.services) {
    const before = new Map(d.services.before.map((b) => [b.name, b]))
    const rows = [...new Set([...d.services.before, ...d.services.after].map((c) => c.service))].sort().map((service) => {
      const was = d.services?.before.filter((b) => b.service === service) ?? []
      const now = d.services?.after.filter((a) => a.service === service) ?? []
      const show = (cs: typeof was): string => cs.map((c) => `<code>${cell(c.id)}</code> ${cell(c.state)}${c.health ? ` (${cell(c.health)})` : ''}, since ${cell(c.startedAt)}`).join('<br>') || 'none'
      const reset = d.services?.names.includes(service) ?? false
      const same = !reset && now.length > 0 && now.every((c) => before.get(c.name)?.id === c.id && before.get(c.name)?.startedAt === c.startedAt)
      return [`<code>${cell(service)}</code>`, reset ? (d.services?.restarted.includes(service) ? 'reset, running again' : r.dryRun ? 'would be reset' : 'reset, NOT running') : same ? 'untouched' : 'kept running', show(was), r.dryRun ? '' : show(now)]
    })
    parts.push(table(['Service', 'What happened', 'Before', 'After'], rows))
  }
  if (d.writers.length > 0) {
    parts.push(table(['Container (not Compose)', 'Writes into', 'Through'], d.writers.map((w) => [
      `<code>${cell(w.name)}</code> (${cell(w.image)}): left running (keep-running)`,
      w.binds.map((b) => `<code>${cell(b.target)}</code>`).join('<br>'),
      w.binds.map((b) => `<code>${cell(b.source)}</code> → <code>${cell(b.destination)}</code>`).join('<br>')
    ])))
  }
  if (d.volumes.length > 0) {
    parts.push(table(['Volume', 'Compose key', 'Action'], d.volumes.map((v) => [
      `<code>${cell(v.name)}</code>`, cell(v.key),
      v.action === 'remove' ? (r.dryRun ? 'would be removed' : d.removedVolumes.includes(v.name) ? 'removed' : 'NOT removed') : `kept: ${cell(v.reason)}`
    ])))
  }
  return parts.join('')
}

/** Files running processes held open: truncated in place (they stay, empty), or unlinked anyway. */
function heldOpen(r: Report): string {
  const t = r.totals
  if (t.truncatedFiles === 0 && t.heldUnlinkedFiles === 0) return ''
  const who = (hs: { pid: number; command: string }[]): string => hs.map((h) => `${h.pid} <code>${cell(h.command)}</code>`).join(', ') || 'a running process'
  const rows = [
    ...r.targets.flatMap((x) => x.truncated).map((e) => [`<code>${cell(e.path)}</code>`, escapeHtml(formatBytes(e.bytes)), r.dryRun ? 'would be truncated' : 'truncated (stays, empty)', who(e.holders)]),
    ...r.targets.flatMap((x) => x.heldUnlinked).map((e) => [`<code>${cell(e.path)}</code>`, escapeHtml(formatBytes(e.bytes)), `unlinked: ${cell(e.reason)} (space comes back when closed)`, who(e.holders)])
  ]
  return `<h3>Held open by running processes</h3>\n${table(['File', 'Size', 'What happened', 'Held by (pid, command)'], rows, t.truncatedFiles + t.heldUnlinkedFiles)}`
}

/** Entries this user could not delete, and the second pass as root that finished them (or why not). */
function privileged(r: Report): string {
  const p = r.privileged
  if (!p) return ''
  const how = p.via === 'sudo' ? 'sudo' : p.via === 'container' ? `a container (<code>${cell(p.image ?? '')}</code>)` : ''
  const head =
    p.ran ? `<p>The privileged pass ran as root through ${how} on ${p.targets.map((t) => `<code>${cell(t)}</code>`).join(', ')}: it removed <strong>${p.removedFiles}</strong> file(s), ${escapeHtml(formatBytes(p.removedBytes))}.</p>\n`
    : r.dryRun && p.via ? `<p>A real run could not delete ${p.entriesTotal} entr${p.entriesTotal === 1 ? 'y' : 'ies'} as this user; it would finish them as root through ${how}.</p>\n`
    : r.dryRun ? `<p>${p.entriesTotal} entr${p.entriesTotal === 1 ? 'y' : 'ies'} cannot be deleted as this user, and no privileged pass is available to finish them.</p>\n`
    : `<p>${p.entriesTotal} entr${p.entriesTotal === 1 ? 'y' : 'ies'} could not be deleted as this user, and no privileged pass finished them.</p>\n`
  const notes = p.notes.length ? list(p.notes.map(cell)) : ''
  const owner = (e: { owner: number | null; ownerName: string | null }): string => (e.owner === null ? '?' : `${e.owner}${e.ownerName ? ` (${cell(e.ownerName)})` : ''}`)
  const rows = p.entries.map((e) => [`<code>${cell(e.path)}</code>`, owner(e), cell(e.code), cell(e.why)])
  return `<h3>Privileged pass (mode: ${cell(p.mode)})</h3>\n${head}${notes}${table(['Entry', 'Owner (uid)', 'Error', 'Why'], rows, p.entriesTotal)}`
}

const KEEP_REASON: Record<string, string> = {
  protected: 'protected path',
  'mount-point': 'mount point (another filesystem, not entered)'
}

/** The target `path` lies inside (the innermost one), or null. */
function targetOf(r: Report, path: string): string | null {
  let found: string | null = null
  for (const t of r.targets) {
    if (path.startsWith(`${t.path}/`) && (found === null || t.path.length > found.length)) found = t.path
  }
  return found
}

/**
 * What stayed, each path once. The protected paths the fingerprint covered (their entries add up to
 * the verification's count), with the target a path lies in when the purge kept it inside one; then
 * what else stayed inside targets: mount points, and the protected paths a dry run does not
 * fingerprint (it never enters its targets).
 */
function keptSections(r: Report): string {
  const parts: string[] = []
  const roots = r.protected.roots
  const inside = new Map(roots.map((p) => [p.path, targetOf(r, p.path)]))
  const anyInside = [...inside.values()].some((t) => t !== null)
  parts.push('<h3>Protected (fingerprinted before and after)</h3>\n')
  if (roots.length === 0) {
    parts.push('<p>No protected path exists under the root.</p>\n')
  } else {
    const head = ['Path', 'Type', 'Entries', ...(anyInside ? ['Inside target'] : [])]
    parts.push(table(head, roots.map((p) => {
      const t = inside.get(p.path) ?? null
      return [`<code>${cell(p.path)}</code>`, cell(p.kind), String(p.entries), ...(anyInside ? [t === null ? '—' : `<code>${cell(t)}</code>`] : [])]
    })))
  }

  const reason = (why: string): string =>
    why === 'protected' && r.dryRun ? 'protected path (a real run fingerprints it)' : cell(KEEP_REASON[why] ?? why)
  const listed = new Set(roots.map((p) => p.path))
  const rows: string[][] = []
  let total = 0
  for (const t of r.targets) {
    const rest = t.kept.filter((k) => !listed.has(k.path))
    // Entries counted but not listed by name (beyond the plan's list limit): those that are
    // protected paths fingerprinted inside this target are already in the table above.
    const unlisted = Math.max(t.keptTotal, t.kept.length) - t.kept.length
    const rootsHere = roots.filter((p) => inside.get(p.path) === t.path).length - (t.kept.length - rest.length)
    total += rest.length + Math.max(0, unlisted - Math.max(0, rootsHere))
    for (const k of rest) rows.push([`<code>${cell(k.path)}</code>`, `<code>${cell(t.path)}</code>`, reason(k.reason)])
  }
  if (total > 0) {
    parts.push(`<h3>${r.dryRun ? 'Would be kept' : 'Kept'} inside targets</h3>\n`)
    parts.push(table(['Path', 'Target', 'Reason'], rows, total))
  }
  return parts.join('')
}

/** A dry run's listing, folded: every entry directly inside each target that would go, bounded. */
function listing(r: Report): string {
  const listed = r.targets.filter((t) => t.listing)
  if (listed.length === 0) return ''
  const rows: string[][] = []
  let total = 0
  for (const t of listed) {
    const { entries, more, itselfGoes } = t.listing as NonNullable<typeof t.listing>
    if (itselfGoes) {
      rows.push([`<code>${cell(t.path)}/</code>`, 'dir (the target itself, once emptied)', '0', '0 B'])
      total++
    }
    for (const e of entries) {
      const what = e.kind === 'dir' ? `dir (${e.inside} entr${e.inside === 1 ? 'y' : 'ies'} inside${e.keeps ? '; emptied, it stays for what it holds that stays' : ''})` : e.kind
      rows.push([`<code>${cell(e.path)}${e.kind === 'dir' ? '/' : ''}</code>`, escapeHtml(what), String(e.files), escapeHtml(formatBytes(e.bytes))])
    }
    if (more.entries > 0) rows.push([`… ${more.entries} more in <code>${cell(t.path)}</code>`, 'not named (the JSON report names the first ones)', String(more.files), escapeHtml(formatBytes(more.bytes))])
    total += entries.length + (more.entries > 0 ? 1 : 0)
  }
  return `<details><summary>Every entry that would go (${total} row(s) in ${listed.length} target(s))</summary>\n\n${table(['Entry', 'Type', 'Files', 'Size'], rows, total)}</details>\n`
}

export function summaryHtml(r: Report): string {
  const parts: string[] = []
  const mode = r.dryRun ? ' (dry run: nothing was changed)' : ''
  parts.push(`<h2>safe-purge: ${r.ok ? '✅' : '❌'} ${cell(r.root)}${mode}</h2>\n`)
  if (r.failures.length > 0) parts.push(`<p><strong>Failed:</strong></p>${list(r.failures.map(cell))}`)
  const verb = r.dryRun ? 'Would remove' : 'Removed'
  if (r.trash?.pending) parts.push(`<p>Moved ${r.trash.moved.length} target(s) aside: their files are counted by the post step, at the end of the job.</p>\n`)
  parts.push(`<p>${verb} <strong>${r.totals.files}</strong> file(s), <strong>${escapeHtml(formatBytes(r.totals.bytes))}</strong>, from ${r.deleted.length} target(s).</p>\n`)
  if (r.space.reclaimedBytes !== null) {
    parts.push(`<p>Freed ${escapeHtml(formatBytes(r.space.freedBytes))}; the filesystem gained <strong>${escapeHtml(formatBytes(Math.max(0, r.space.reclaimedBytes)))}</strong>.</p>\n`)
  }
  parts.push(verification(r))
  parts.push(privileged(r))
  parts.push(heldOpen(r))

  parts.push('<h3>Targets</h3>\n')
  parts.push(table(
    ['Target', 'Files', 'Size', 'Dirs', 'Links/special', 'Kept inside', 'Result'],
    r.targets.map((t) => [
      `<code>${cell(t.path)}</code>`, String(t.files), escapeHtml(formatBytes(t.bytes)), String(t.dirs), String(t.others),
      String(t.keptTotal), `${cell(t.result)}${t.reason ? `: ${cell(t.reason)}` : ''}`
    ])
  ))

  parts.push(listing(r))
  parts.push(keptSections(r))

  if (r.errors.length > 0) {
    parts.push('<h3>Errors</h3>\n')
    parts.push(table(['Path', 'Error', 'Recovery'], r.errors.map((e) => [`<code>${cell(e.path)}</code>`, cell(e.message), escapeHtml(oneLine(e.hint))])))
  }
  parts.push(docker(r))
  return parts.join('')
}
