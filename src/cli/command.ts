/** The CLI: argv -> settings (flags over the config file) -> run -> output -> exit status. */
import os from 'node:os'
import { parseCli, wantsJson, HELP } from './args.js'
import { TerminalUi, type TermIO } from './ui.js'
import { loadConfig, namesWithConfig } from '../engine/config.js'
import { changesSomething, run, type Logger } from '../engine/run.js'
import { selfStopHooks } from '../engine/execute.js'
import { CLI_NAMES } from '../common/options.js'
import { buildSettings } from '../engine/settings.js'
import { errorMessage } from '../common/errors.js'
import { VERSION, refusalOf, type Refusal, type Report } from '../engine/report.js'
import { oneLine } from '../common/text.js'
import { PASS_FLAG, passMain } from './pass.js'
import { startTrashWorker, statusMain, trashWorkerMain } from './trash.js'
import type { TrashWorker } from '../engine/trash.js'

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_REFUSED = 2

export type Engine = typeof run

/** The single JSON document --json prints when the run refused or failed without a report. */
export interface ErrorDocument extends Refusal {
  exitCode: number
}

export async function cliMain(argv: readonly string[], io: TermIO, signal?: AbortSignal, engine: Engine = run): Promise<number> {
  // The privileged pass a run started as root (sudo, or in a container): internal, one flag alone.
  if (argv.length === 1 && argv[0] === PASS_FLAG) return passMain(io, signal)
  const json = wantsJson(argv)
  const failed = (err: unknown, exitCode: number, prefix = ''): number => {
    const message = `${prefix}${errorMessage(err)}`
    io.stderr.write(`safe-purge: ${oneLine(message)}\n`)
    if (json) {
      const doc: ErrorDocument = { ...refusalOf(err, message, exitCode !== EXIT_REFUSED), exitCode }
      io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
    }
    return exitCode
  }
  let args
  try {
    args = parseCli(argv)
  } catch (err) {
    return failed(err, EXIT_REFUSED)
  }
  if (args.help) {
    io.stdout.write(HELP)
    return EXIT_OK
  }
  if (args.version) {
    io.stdout.write(`safe-purge ${VERSION}\n`)
    return EXIT_OK
  }
  if (args.trashWorker !== null) return trashWorkerMain(args.trashWorker, args.root, io, signal)
  if (args.status) {
    try {
      return statusMain(args.root, args.json, io)
    } catch (err) {
      return failed(err, EXIT_REFUSED)
    }
  }
  let changing = false
  try {
    const config = await loadConfig(args.root, args.config, CLI_NAMES)
    const settings = buildSettings(args.root, config.file, args.options, config.options)
    const ui = new TerminalUi(io, { verbose: args.verbose, json: args.json, dryRun: settings.dryRun, signal, list: args.list })
    const log: Logger = {
      ...ui.logger,
      // An error thrown once a phase that changes something began is no refusal: the stack may be down, files gone.
      group: (name, fn) => {
        if (changesSomething(name)) changing = true
        return ui.logger.group(name, fn)
      }
    }
    const names = namesWithConfig(CLI_NAMES, args.options, config)
    // Strategy move: once the targets are moved, what they held is deleted in the background.
    let pid: number | null = null
    const handOff = (run: string, root: string): TrashWorker | null => {
      const claim = startTrashWorker(run, root, io.env)
      pid = claim?.pid ?? null
      return claim
    }
    const report = await engine(settings, { log, env: io.env, names, list: args.list || (args.verbose && settings.dryRun), confirm: ui.confirmer, confirmReadsPlan: !settings.force, signal, onProgress: ui.progress, rootImplicit: !args.rootGiven, executeHooks: selfStopHooks(io.env), handOff })
    const exitCode = exitStatus(report)
    if (report.trash?.pending) {
      io.stderr.write(`safe-purge: deleting the trash in the background (pid ${pid}, lowest priority); see safe-purge --status --root ${oneLine(report.root)}\n`)
    } else if (report.trash?.run != null && report.trash.purge === null && !report.dryRun) {
      io.stderr.write(`safe-purge: the trash ${report.trash.run} was not handed to a background deletion${report.cancelled ? ' (the run was cancelled)' : ''}: the next run deletes it first\n`)
    }
    if (args.json) io.stdout.write(`${JSON.stringify({ ...report, exitCode, ...(report.trash?.pending ? { background: { pid } } : {}) }, null, 2)}\n`)
    for (const f of report.failures) io.stderr.write(`safe-purge: ${oneLine(f)}\n`)
    return exitCode
  } catch (err) {
    if (!changing) return failed(err, EXIT_REFUSED)
    return failed(err, EXIT_FAILED, 'stopped after the run began changing things (docker or files), without verification: ')
  }
}

export function exitStatus(report: Report): number {
  if (report.ok) return EXIT_OK
  return report.cancelled === 'before-purge' ? EXIT_REFUSED : EXIT_FAILED
}

export interface Cancellation {
  /** Aborted by the first SIGINT or SIGTERM: run() stops at a safe point, verifies and reports. */
  signal: AbortSignal
  /** Settles on the third signal with 128 + its number: the person wants out now, unverified. */
  forced: Promise<number>
}

/**
 * GitHub cancels a job with SIGINT and, 7.5 s later, SIGTERM; an operator may press Ctrl-C twice.
 * Neither may cut verification short, so only a third signal quits without it.
 */
export function cancelOnSignals(
  proc: { on(event: 'SIGINT' | 'SIGTERM', fn: () => void): unknown },
  stderr: { write(s: string): unknown; isTTY?: boolean }
): Cancellation {
  const cancel = new AbortController()
  let received = 0
  let quit: (code: number) => void = () => {}
  const forced = new Promise<number>((resolve) => (quit = resolve))
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    proc.on(sig, () => {
      received++
      if (received === 1) {
        // On a terminal, off the line that ^C (or the progress line) left the cursor on.
        stderr.write(`${stderr.isTTY ? '\n' : ''}safe-purge: ${sig} received: stopping at the next safe point, then verifying and reporting\n`)
        cancel.abort()
      } else if (received === 2) {
        stderr.write(`safe-purge: ${sig} received: still stopping safely and verifying (a third signal quits at once, unverified)\n`)
      } else {
        stderr.write(`safe-purge: ${sig} received again: quitting now, without verification\n`)
        quit(128 + os.constants.signals[sig])
      }
    })
  }
  return { signal: cancel.signal, forced }
}
