/** The CLI's entry: argv -> cliMain -> exit status. The only process.exit. */
import { cancelOnSignals, cliMain } from './command.js'
import { drained } from '../common/stdio.js'

const cancel = cancelOnSignals(process, process.stderr)
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }
const code = await Promise.race([cliMain(process.argv.slice(2), io, cancel.signal), cancel.forced])
// Everything written reaches the reader, unless a third signal asked to quit now.
if (code < 128) await drained()
process.exit(code)
