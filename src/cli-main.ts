/** The CLI: argv -> settings (flags over the config file) -> run -> output -> exit status. */
import { parseCli, HELP } from './cli-args.js'
import { TerminalUi, type TermIO } from './cli-ui.js'
import { loadConfig } from './config.js'
import { run } from './run.js'
import { buildSettings } from './settings.js'
import { errorMessage } from './errors.js'
import { VERSION } from './report.js'

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_REFUSED = 2

export async function cliMain(argv: readonly string[], io: TermIO, signal?: AbortSignal): Promise<number> {
  let args
  try {
    args = parseCli(argv)
  } catch (err) {
    io.stderr.write(`safe-purge: ${errorMessage(err)}\n`)
    return EXIT_REFUSED
  }
  if (args.help) {
    io.stdout.write(HELP)
    return EXIT_OK
  }
  if (args.version) {
    io.stdout.write(`safe-purge ${VERSION}\n`)
    return EXIT_OK
  }
  let ui: TerminalUi | null = null
  try {
    const config = await loadConfig(args.root, args.config)
    const settings = buildSettings(args.root, config.file, args.options, config.options)
    ui = new TerminalUi(io, { verbose: args.verbose, json: args.json, dryRun: settings.dryRun })
    const report = await run(settings, { log: ui.logger, env: io.env, confirm: ui.confirmer, confirmReadsPlan: !settings.force, signal, onProgress: ui.progress })
    if (args.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    if (report.ok) return EXIT_OK
    for (const f of report.failures) io.stderr.write(`safe-purge: ${f}\n`)
    return report.cancelled === 'before-purge' ? EXIT_REFUSED : EXIT_FAILED
  } catch (err) {
    io.stderr.write(`safe-purge: ${errorMessage(err)}\n`)
    return EXIT_REFUSED
  }
}
