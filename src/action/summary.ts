/**
 * The report -> the GitHub Actions side: the JSON report file under RUNNER_TEMP, the step
 * outputs, and the job summary.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import type { Report } from '../engine/report.js'
import { summaryHtml } from './summary-html.js'

export function writeReportFile(report: Report, dir: string): string {
  const folder = path.join(dir, 'safe-purge')
  fs.mkdirSync(folder, { recursive: true })
  const stamp = report.startedAt.replace(/[:.]/g, '-')
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
    'privileged-files': String(report.privileged?.removedFiles ?? 0)
  }
}

export async function publish(report: Report, env: NodeJS.ProcessEnv): Promise<void> {
  const file = writeReportFile(report, env.RUNNER_TEMP || os.tmpdir())
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value)
  core.setOutput('report', file)
  core.info(`report: ${file}`)
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryHtml(report)).write()
}
