/**
 * The job summary's trash parts (strategy move): the main step's section (which targets moved
 * whole, which were purged in place and why, what earlier runs left) and the post step's own
 * table of what deleting the trash freed.
 */
import type { Report } from '../engine/report.js'
import type { TrashReport } from '../engine/trash.js'
import { formatBytes } from '../common/text.js'
import { cell, escapeHtml, table } from './summary-html.js'

/** The main step's trash section ('' when the run neither moved nor met a trash). */
export function trashSection(r: Report): string {
  const t = r.trash
  if (t === null) return ''
  const parts: string[] = ['<h3>Trash (strategy move)</h3>\n']
  if (t.moved.length > 0) {
    const when = r.dryRun
      ? 'would be renamed into the trash in one step each'
      : t.pending
        ? `were renamed into <code>${cell(t.dir)}/${cell(t.run ?? '')}</code>; the post step deletes them at the end of the job and adds its own table`
        : t.purge !== null
          ? 'were renamed into the trash, then deleted by this step'
          : `were renamed into <code>${cell(t.dir)}/${cell(t.run ?? '')}</code>; the next run deletes them first`
    parts.push(`<p>${t.moved.map((p) => `<code>${cell(p)}</code>`).join(', ')} ${when}.</p>\n`)
  }
  if (t.inPlace.length > 0) parts.push(table(['Purged in place', 'Why'], t.inPlace.map((p) => [`<code>${cell(p.path)}</code>`, cell(p.why)])))
  if (t.kept.length > 0) parts.push(`<p>Kept for a person to check (their deletion could not remove or put back everything): ${t.kept.map((k) => `<code>${cell(k)}</code>`).join(', ')} in <code>${cell(t.dir)}</code>.</p>\n`)
  if (t.leftoverRuns.length > 0) {
    const done = t.leftovers.map((l) => [cell(l.run), String(l.totals.files), escapeHtml(formatBytes(l.totals.bytes)), l.ok ? 'deleted' : cell(l.failures[0] ?? 'failed')])
    parts.push(r.dryRun
      ? `<p>Earlier runs left ${t.leftoverRuns.length} trash(es) (${t.leftoverRuns.map(cell).join(', ')}): a real run deletes them first.</p>\n`
      : `<p>Deleted first, left by earlier runs:</p>\n${table(['Trash', 'Files', 'Size', 'Result'], done)}`)
  }
  return parts.join('')
}

/** The post step's summary: what deleting this run's trash freed. */
export function trashHtml(t: TrashReport, root: string): string {
  const parts: string[] = [`<h2>safe-purge post step: ${t.ok ? '✅' : '❌'} trash of ${cell(root)}</h2>\n`]
  if (t.failures.length > 0) parts.push(`<p><strong>Failed:</strong></p><ul>${t.failures.map((f) => `<li>${cell(f)}</li>`).join('')}</ul>\n`)
  parts.push(`<p>Deleted <strong>${t.totals.files}</strong> file(s), <strong>${escapeHtml(formatBytes(t.totals.bytes))}</strong>, in ${(t.durationMs / 1000).toFixed(1)} s`)
  if (t.space.reclaimedBytes !== null) parts.push(`; the filesystem gained <strong>${escapeHtml(formatBytes(Math.max(0, t.space.reclaimedBytes)))}</strong>`)
  parts.push('.</p>\n')
  parts.push(table(
    ['Moved target', 'Files', 'Size', 'Dirs', 'Links/special', 'Errors'],
    t.targets.map((x) => [`<code>${cell(x.path)}</code>`, String(x.files), escapeHtml(formatBytes(x.bytes)), String(x.dirs), String(x.others), String(x.errors)])
  ))
  if (t.restored.length + t.left.length > 0) {
    parts.push(table(['Protected entry found in the trash', 'What happened'], [...t.restored, ...t.left].map((x) => [`<code>${cell(x.path)}</code>`, cell(x.reason)])))
  }
  return parts.join('')
}
