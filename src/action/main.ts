/** The action's entry: inputs -> run -> outputs, summary, setFailed. */
import * as core from './runner.js'
import { readInputs } from './inputs.js'
import { changesSomething, confirmByName, run, type Logger } from '../engine/run.js'
import { publish, publishRefusal } from './summary.js'
import { refusalOf, type Report } from '../engine/report.js'
import { selfStopHooks } from '../engine/execute.js'
import { errorMessage } from '../common/errors.js'
import { drained } from '../common/stdio.js'
import { post, TRASH_STATE } from './post.js'
import { claimFor, type TrashWorker } from '../engine/trash.js'

const log: Logger = {
  info: (l) => core.info(l),
  warning: (l) => core.warning(l),
  error: (l) => core.error(l),
  group: (name, fn) => {
    // An error thrown once a phase that changes something began is no refusal: the stack may be down, files gone.
    if (changesSomething(name)) changing = true
    return core.group(name, fn)
  }
}
let changing = false

// GitHub cancels a job with SIGINT and, 7.5 s later, SIGTERM; a person may press Ctrl-C twice.
// The first signal stops the run at a safe point; it still verifies, reports and fails. A later
// one changes nothing: verification is never cut short.
const cancel = new AbortController()
// Once the run has its result, a signal has nothing left to stop.
let decided = false
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (decided) return
    if (!cancel.signal.aborted) core.warning(`${sig} received: stopping at the next safe point, then verifying`)
    else core.info(`${sig} received: still stopping safely and verifying`)
    cancel.abort()
  })
}

// The runner runs this same file again as the post step, with the state the main step saved.
const isPost = core.getState('isPost') === 'true'
if (!isPost) core.saveState('isPost', 'true')
let report: Report | null = null
if (isPost) {
  await post(cancel.signal).finally(() => (decided = true))
} else {
  try {
    const { settings, names } = await readInputs()
    // A dry run lists every entry that would go in its summary.
    // Strategy move: the post step deletes the trash at the end of the job; saved as soon as it exists.
    const handOff = (trash: string, root: string): TrashWorker => {
      core.saveState(TRASH_STATE, JSON.stringify({ root, run: trash }))
      return claimFor('post', process.env)
    }
    report = await run(settings, { log, env: process.env, names, list: settings.dryRun, confirm: confirmByName, signal: cancel.signal, executeHooks: selfStopHooks(process.env), handOff }).finally(() => (decided = true))
  } catch (err) {
    const message = errorMessage(err)
    // A refusal still leaves outputs (verified false), a report file and a summary saying why.
    try {
      publishRefusal(refusalOf(err, message, changing), process.env)
    } catch (e) {
      core.warning(`the refusal's report or summary could not be written: ${errorMessage(e)}`)
    }
    core.setFailed(message)
  }
}
if (report !== null) {
  // The run has its result: a failure to write the summary or the report file is said as such,
  // never taken for the run's own failure (its outputs stay what the run found).
  try {
    publish(report, process.env)
  } catch (e) {
    core.setFailed(`the run ${report.ok ? 'succeeded' : 'failed'}, but its report or summary could not be written: ${errorMessage(e)}`)
  }
  if (!report.ok) core.setFailed(report.failures.join('; '))
}
// Exit here, with the signal handlers still in place: left to drain, Node closes them first and a
// signal that arrives in that moment would kill a run whose result is already written (exit by
// signal, no status). Outputs and the summary are files, written; the log reaches the runner first.
await drained()
process.exit()
