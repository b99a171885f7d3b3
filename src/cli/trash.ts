/**
 * The CLI's trash (strategy move): a run returns once its targets are moved and verified, and a
 * detached process of its own (`--trash-worker RUN`, internal, not in --help) deletes the trash at
 * the lowest CPU and I/O priority, leaving its report in the trash; `--status` says whether one is
 * still running and how the last ones ended.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deleteRootTrash, rootTrashStatus, type TrashStatus } from '../engine/trash-purge.js'
import { selfStopHooks } from '../engine/execute.js'
import { claimFor, type TrashWorker } from '../engine/trash.js'
import { findBundle } from '../engine/privileged.js'
import { errorMessage } from '../common/errors.js'
import { CLI_NAMES } from '../common/options.js'
import { formatBytes, oneLine, showPath } from '../common/text.js'
import type { TermIO } from './ui.js'

/** Exit status of --status while a deletion is still running. */
export const EXIT_RUNNING = 3

/** The CLI's entry in the bundle this code runs from (also when the tests run the sources). */
function cliEntry(): string {
  const bundle = findBundle()
  return bundle !== null ? path.join(bundle, 'cli', 'index.js') : path.join(path.dirname(fileURLToPath(import.meta.url)), 'index.js')
}

/**
 * Starts the background deletion of the run's trash and returns its claim (the engine writes it
 * into the trash, so no other run takes that trash for a leftover); null when it could not start.
 */
export function startTrashWorker(run: string, root: string, env: NodeJS.ProcessEnv): TrashWorker | null {
  try {
    const child = spawn(process.execPath, [cliEntry(), '--trash-worker', run, '--root', root], {
      detached: true, stdio: 'ignore', env, cwd: '/'
    })
    child.on('error', () => {})
    child.unref()
    return child.pid === undefined ? null : claimFor('background', env, child.pid)
  } catch {
    return null
  }
}

/** Lowest CPU priority (nice 19) and, where ionice exists, the idle I/O class. */
function lowerPriority(): void {
  try {
    os.setPriority(19)
  } catch {
    // not allowed: it runs at the priority it has
  }
  for (const bin of ['/usr/bin/ionice', '/bin/ionice']) {
    if (fs.existsSync(bin)) {
      spawnSync(bin, ['-c', '3', '-p', String(process.pid)], { stdio: 'ignore' })
      break
    }
  }
}

/** The detached worker: deletes one run's trash; its report stays in the trash for --status. */
export async function trashWorkerMain(run: string, root: string, io: TermIO, signal?: AbortSignal): Promise<number> {
  lowerPriority()
  try {
    const report = await deleteRootTrash(root, run, claimFor('background', io.env), io.env, { signal, hooks: selfStopHooks(io.env) })
    return report === null || report.ok ? 0 : 1
  } catch (err) {
    io.stderr.write(`safe-purge: trash ${oneLine(run)}: ${oneLine(errorMessage(err))}\n`)
    return 1
  }
}

/** --status: prints what the trash holds and how its deletions went. 0 idle and clean, 3 running, 1 a failure or leftover. */
export function statusMain(root: string, json: boolean, io: TermIO): number {
  const status = rootTrashStatus(root, io.env, CLI_NAMES)
  const last = status.finished.at(-1)
  const code = status.running.length > 0 ? EXIT_RUNNING : status.leftover.length + status.kept.length > 0 || (last !== undefined && !last.ok) ? 1 : 0
  if (json) {
    io.stdout.write(`${JSON.stringify({ ...status, exitCode: code }, null, 2)}\n`)
    return code
  }
  for (const line of statusLines(status)) io.stdout.write(`${line}\n`)
  return code
}

export function statusLines(s: TrashStatus): string[] {
  const out: string[] = []
  for (const r of s.running) out.push(`running: deleting trash ${r.run} (pid ${r.pid}, ${r.role}) since ${r.since}`)
  for (const r of s.leftover) out.push(`left: trash ${r} is not being deleted (its run or deletion was stopped): the next run deletes it first`)
  for (const k of s.kept) out.push(`kept: ${showPath(k)} holds what its deletion could not remove or put back: check it, then delete it by hand`)
  for (const f of s.finished.slice(-3)) {
    out.push(`${f.ok ? 'done' : 'FAILED'}: trash ${f.run} (${f.role}), finished ${f.finishedAt}: ${f.totals.files} file(s), ${formatBytes(f.totals.bytes)} in ${(f.durationMs / 1000).toFixed(1)} s${f.ok ? '' : `: ${oneLine(f.failures[0] ?? '')}`}`)
  }
  if (out.length === 0) out.push(`the trash is empty: no deletion running, none recorded (${showPath(s.trash)})`)
  return out
}
