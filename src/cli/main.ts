#!/usr/bin/env node
/** The CLI's entry: argv -> cliMain -> exit status. The only process.exit. */
import { cancelOnSignals, cliMain } from './command.js'

const cancel = cancelOnSignals(process, process.stderr)
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }
const code = await Promise.race([cliMain(process.argv.slice(2), io, cancel.signal), cancel.forced])
// A pipe or socket on stdout is non-blocking: what the reader has not taken yet waits in Node's
// queue, and process.exit would drop it (a long --list cut short, with exit 0). Wait until both
// streams have handed everything to the kernel, unless a third signal asked to quit now.
if (code < 128) await Promise.all([flushed(process.stdout), flushed(process.stderr)])
process.exit(code)

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  // An empty write's callback runs once every write queued before it is written.
  return new Promise((resolve) => stream.write('', () => resolve()))
}
