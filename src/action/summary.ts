/**
 * The report -> the GitHub Actions side: the JSON report file under RUNNER_TEMP, the step
 * outputs, and the job summary.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from './runner.js'
import type { Refusal, Report } from '../engine/report.js'
import { escapeHtml, summaryHtml } from './summary-html.js'
import { trashHtml, trashSection } from './summary-trash.js'
import type { TrashReport } from '../engine/trash.js'

export function writeReportFile(report: Report | Refusal, dir: string): string {
  const folder = path.join(dir, 'safe-purge')
  fs.mkdirSync(folder, { recursive: true })
  const stamp = ('startedAt' in report ? report.startedAt : new Date().toISOString()).replace(/[:.]/g, '-')
  const file = path.join(folder, `report-${stamp}-${process.pid}.json`)
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  return file
}

/** The step outputs. In a dry run they describe what a real run would remove. */
export function outputsOf(report: Report): Record<string, string> {
  const volumes = report.dryRun ? report.docker.volumes.filter((v) => v.action === 'remove').map((v) => v.name) : report.docker.removedVolumes
  return {
    verified: String(report.verified),
    deleted: JSON.stringify(report.deleted),
    'deleted-files': String(report.totals.files),
    'freed-bytes': String(report.space.freedBytes),
    'reclaimed-bytes': report.space.reclaimedBytes === null ? '' : String(report.space.reclaimedBytes),
    'removed-volumes': JSON.stringify(volumes),
    'restarted-services': JSON.stringify(report.docker.services?.restarted ?? []),
    'privileged-files': String(report.privileged?.removedFiles ?? 0),
    moved: JSON.stringify(report.trash?.moved ?? [])
  }
}

export function publish(report: Report, env: NodeJS.ProcessEnv): void {
  // Outputs first: they must exist even when the report file cannot be written.
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value)
  const file = writeReportFile(report, env.RUNNER_TEMP || os.tmpdir())
  core.setOutput('report', file)
  core.info(`report: ${file}`)
  if (env.GITHUB_STEP_SUMMARY) core.appendSummary(summaryHtml(report) + trashSection(report))
}

/**
 * The post step's outputs and summary: what deleting the trash freed. (Outputs set in a post step
 * reach no later step of the job; they are set for the record, and the report file holds it all.)
 */
export function publishTrash(report: TrashReport, root: string, env: NodeJS.ProcessEnv): void {
  core.setOutput('deleted-files', String(report.totals.files))
  core.setOutput('freed-bytes', String(report.space.freedBytes))
  core.setOutput('reclaimed-bytes', report.space.reclaimedBytes === null ? '' : String(report.space.reclaimedBytes))
  const file = path.join(env.RUNNER_TEMP || os.tmpdir(), 'safe-purge', `trash-${report.run}.json`)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  core.setOutput('report', file)
  core.info(`deleted ${report.totals.files} file(s), ${report.totals.bytes} byte(s) from the trash in ${report.durationMs} ms; report: ${file}`)
  if (env.GITHUB_STEP_SUMMARY) core.appendSummary(trashHtml(report, root))
}

/**
 * A run that stopped without a report (a refusal, or an unexpected error): the outputs a workflow
 * reads still exist (`verified` false; for a refusal, nothing deleted), the report file holds the
 * error, and the summary says what was refused, why, and how to go on.
 */
export function publishRefusal(refusal: Refusal, env: NodeJS.ProcessEnv): void {
  // Outputs first: they must exist even when the report file cannot be written. After a run that
  // had begun changing things, what it deleted is not known: those counts stay unset.
  const outputs: Record<string, string> = refusal.changed
    ? { verified: 'false' }
    : { verified: 'false', deleted: '[]', 'deleted-files': '0', 'freed-bytes': '0', 'reclaimed-bytes': '', 'removed-volumes': '[]', 'restarted-services': '[]', 'privileged-files': '0', moved: '[]' }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
  const file = writeReportFile(refusal, env.RUNNER_TEMP || os.tmpdir())
  core.setOutput('report', file)
  core.info(`report: ${file}`)
  if (env.GITHUB_STEP_SUMMARY) core.appendSummary(refusalHtml(refusal))
}

export function refusalHtml(r: Refusal): string {
  const message = r.error.message
  const title = r.changed ? 'stopped with an error' : 'refused, nothing was changed'
  const what = r.changed
    ? '<p>The run had begun changing things (docker or files) when it stopped, without verification: check the environment, then run again.</p>\n'
    : '<p>It stopped before it stopped any container or deleted any file. The message names the input that changes the outcome; a dry run (<code>dry-run: true</code>) shows what a run would delete.</p>\n'
  return `<h2>safe-purge: ❌ ${title}</h2>\n<p><strong>${escapeHtml(r.error.code)}</strong>: ${escapeHtml(message)}</p>\n${what}`
}
