/**
 * The privileged pass's side of the CLI (`--privileged-pass`, internal, not in --help): reads a
 * PassJob on stdin, runs the same engine as root on just those targets, under the same protected
 * patterns, with docker off and no further escalation, after checking that the root it sees is
 * the node the outer run guarded, and prints one PassAnswer (JSON) on stdout. Its log goes to
 * stderr, which the outer run shows. See engine/privileged.ts.
 */
import { buildSettings } from '../engine/settings.js'
import { run, type Logger } from '../engine/run.js'
import { PASS_PROTOCOL, type PassAnswer, type PassJob } from '../engine/privileged.js'
import type { Outcome } from '../engine/execute.js'
import { CLI_NAMES } from '../common/options.js'
import { errorMessage, fail } from '../common/errors.js'
import { oneLine } from '../common/text.js'
import type { TermIO } from './ui.js'

export const PASS_FLAG = '--privileged-pass'

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

/** The job, checked field by field: anything else is refused before the engine starts. */
export function parseJob(text: string): PassJob {
  let j: Partial<PassJob>
  try {
    j = JSON.parse(text) as Partial<PassJob>
  } catch (err) {
    throw fail('ERR_PASS_JOB', `the privileged pass's job is not JSON: ${errorMessage(err)}`)
  }
  const ok =
    j !== null && typeof j === 'object' && j.protocol === PASS_PROTOCOL && typeof j.root === 'string' && j.root !== '' &&
    typeof j.expect?.dev === 'number' && typeof j.expect?.ino === 'number' && (j.expect.boot === null || typeof j.expect.boot === 'string') &&
    isStrings(j.targets) && j.targets.length > 0 &&
    isStrings(j.protected) && isStrings(j.exact) && typeof j.removeTargetDirs === 'boolean'
  if (!ok) throw fail('ERR_PASS_JOB', `the privileged pass's job is malformed or of another protocol (this bundle speaks ${PASS_PROTOCOL})`)
  return j as PassJob
}

export async function passMain(io: TermIO, signal?: AbortSignal): Promise<number> {
  const answer = (a: Omit<PassAnswer, 'protocol'>): void => {
    io.stdout.write(`${JSON.stringify({ protocol: PASS_PROTOCOL, ...a })}\n`)
  }
  const log: Logger = {
    info: (l) => io.stderr.write(`${oneLine(l)}\n`),
    warning: (l) => io.stderr.write(`warning: ${oneLine(l)}\n`),
    error: (l) => io.stderr.write(`error: ${oneLine(l)}\n`),
    group: async (name, fn) => {
      io.stderr.write(`${name}\n`)
      return fn()
    }
  }
  try {
    const job = parseJob(await readAll(io.stdin))
    const settings = buildSettings(job.root, null, {
      force: true, 'dry-run': false, docker: 'off', privileged: 'off', 'keep-running': false,
      ephemeral: job.targets, protected: job.protected, 'remove-target-dirs': job.removeTargetDirs
    })
    let outcome: Outcome | null = null
    const report = await run(settings, {
      log, env: io.env, names: CLI_NAMES, confirm: async () => null, signal,
      pass: { expect: job.expect, exact: job.exact },
      onOutcome: (o) => (outcome = o)
    })
    const truncatedNodes: Record<string, [number, number][]> = {}
    for (const t of (outcome as Outcome | null)?.targets ?? []) truncatedNodes[t.path] = t.truncatedNodes.map((n) => [n.dev, n.ino])
    answer({ report, truncatedNodes })
    return report.ok ? 0 : 1
  } catch (err) {
    const code = (err as { code?: unknown }).code
    answer({ error: { code: typeof code === 'string' ? code : 'ERR_UNEXPECTED', message: errorMessage(err) } })
    return 2
  }
}
