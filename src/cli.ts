#!/usr/bin/env node
/** The CLI's entry: argv -> cliMain -> exit status. The only process.exit. */
import { cliMain } from './cli-main.js'

const cancel = new AbortController()
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (cancel.signal.aborted) process.exit(130)
    process.stderr.write(`\nsafe-purge: ${sig} received: stopping at the next safe point (again to quit now)\n`)
    cancel.abort()
  })
}

const code = await cliMain(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }, cancel.signal)
process.exit(code)
