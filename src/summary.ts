/**
 * The report -> the GitHub Actions side: the JSON report file under RUNNER_TEMP, the step
 * outputs, and the job summary.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import type { Report } from './report.js'
import { summaryHtml } from './summary-html.js'

export function writeReportFile(report: Report, dir: string): string {
  const folder = path.join(dir, 'safe-purge')
  fs.mkdirSync(folder, { recursive: true })
  const stamp = report.startedAt.replace(/[:.]/g, '-')
  const file = path.join(folder, `report-${stamp}-${process.pid}.json`)
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  return file
}

export async function publish(report: Report, env: NodeJS.ProcessEnv): Promise<void> {
  const file = writeReportFile(report, env.RUNNER_TEMP || os.tmpdir())
  core.setOutput('verified', String(report.verified))
  core.setOutput('deleted', JSON.stringify(report.deleted))
  core.setOutput('deleted-files', String(report.totals.files))
  core.setOutput('freed-bytes', String(report.totals.bytes))
  core.setOutput('removed-volumes', JSON.stringify(report.docker.removedVolumes))
  core.setOutput('report', file)
  core.info(`report: ${file}`)
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryHtml(report)).write()
}
