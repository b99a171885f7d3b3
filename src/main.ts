/** The action's entry: inputs -> run -> outputs, summary, setFailed. */
import * as core from '@actions/core'
import { readInputs } from './inputs.js'
import { confirmByName, run, type Logger } from './run.js'
import { publish } from './summary.js'
import { errorMessage } from './errors.js'

const log: Logger = {
  info: (l) => core.info(l),
  warning: (l) => core.warning(l),
  error: (l) => core.error(l),
  group: (name, fn) => core.group(name, fn)
}

// GitHub cancels a job with SIGINT, then SIGTERM: stop at a safe point, verify, report, fail.
const cancel = new AbortController()
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (!cancel.signal.aborted) core.warning(`${sig} received: stopping at the next safe point`)
    cancel.abort()
  })
}

try {
  const report = await run(await readInputs(), { log, env: process.env, confirm: confirmByName, signal: cancel.signal })
  await publish(report, process.env)
  if (!report.ok) core.setFailed(report.failures.join('; '))
} catch (err) {
  core.setFailed(errorMessage(err))
}
