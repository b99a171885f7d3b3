/**
 * Runs one command from an argument array (never a shell string) with a hard timeout.
 * @actions/exec has no way to time out or kill a hung child (a `docker` waiting on a dead
 * daemon would hold the job until GitHub's 6-hour limit), so this uses child_process directly.
 * The child gets its own process group and the whole group is killed on timeout: the docker CLI
 * runs Compose v2 as a plugin child that would otherwise keep the output pipes open.
 */
import { spawn } from 'node:child_process'

export interface Command {
  command: string
  args: string[]
}

export interface CommandResult {
  exitCode: number | null
  stdout: string
  stderr: string
  timedOut: boolean
  /** Set when the command could not be started at all (e.g. ENOENT: not installed). */
  spawnError?: string
}

export interface ExecOptions {
  timeoutMs: number
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Sees the output as it arrives, so a caller that stops waiting still has what was said. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void
}

export type Runner = (cmd: Command, opts: ExecOptions) => Promise<CommandResult>

const MAX_OUTPUT = 4 * 1024 * 1024
/** The privileged pass's answer (its JSON report) is read whole up to this size. */
const MAX_ANSWER = 256 * 1024 * 1024

export const runCommand: Runner = (cmd, opts) =>
  new Promise((resolve) => {
    let stdout = ''
    let stderr = ''
    let timedOut = false
    let settled = false
    const child = spawn(cmd.command, cmd.args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const kill = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-(child.pid as number), sig)
      } catch {
        child.kill(sig)
      }
    }
    const finish = (r: CommandResult): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(killer)
      resolve(r)
    }
    let killer: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      timedOut = true
      kill('SIGTERM')
      killer = setTimeout(() => kill('SIGKILL'), 2000)
      killer.unref()
    }, opts.timeoutMs)
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString('utf8')
      if (stdout.length < MAX_OUTPUT) stdout += text
      opts.onOutput?.('stdout', text)
    })
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString('utf8')
      if (stderr.length < MAX_OUTPUT) stderr += text
      opts.onOutput?.('stderr', text)
    })
    child.on('error', (err) => finish({ exitCode: null, stdout, stderr, timedOut, spawnError: (err as NodeJS.ErrnoException).code ?? err.message }))
    child.on('close', (code) => finish({ exitCode: code, stdout, stderr, timedOut }))
    // After a timeout, do not wait for pipes a surviving grandchild may still hold.
    child.on('exit', (code) => {
      if (timedOut) finish({ exitCode: code, stdout, stderr, timedOut })
    })
  })

export function describe(cmd: Command): string {
  return [cmd.command, ...cmd.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')
}

/**
 * The last `n` non-blank lines of a command's output as one line (` | ` between them). Progress
 * output (Compose v2's) is full of ANSI sequences and carriage returns: they are dropped, so the
 * excerpt cannot garble a log line or a workflow command.
 */
export function lastLines(text: string, n: number): string {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
  return plain
    .split(/\r\n|\r|\n/)
    // eslint-disable-next-line no-control-regex
    .map((l) => l.replace(/[\x00-\x1f\x7f-\x9f]/g, ' ').trim())
    .filter((l) => l !== '')
    .slice(-n)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
    .join(' | ')
}

/** One line naming the command and what went wrong, with the end of what it said (also on a timeout). */
export function failureText(cmd: Command, r: CommandResult, timeoutMs: number, timeoutOption = 'docker-timeout'): string {
  const what = describe(cmd)
  if (r.spawnError) return `${what} could not start (${r.spawnError}${r.spawnError === 'ENOENT' ? `: is ${cmd.command} installed and on PATH?` : ''})`
  const said = lastLines(r.stderr, 3) || lastLines(r.stdout, 1)
  if (r.timedOut) return `${what} timed out after ${Number((timeoutMs / 1000).toFixed(1))} s (raise ${timeoutOption})${said ? `; last output: ${said}` : ''}`
  return `${what} exited ${r.exitCode}${said ? `: ${said}` : ''}`
}

export interface PassOptions {
  /** Written to the child's stdin, which is then closed. */
  input: string
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Aborted (the job was cancelled): the child gets one SIGINT, which it relays or obeys at a safe point. */
  signal?: AbortSignal
  /** Each line the child writes on stderr (its progress and warnings), as it comes. */
  onStderrLine?: (line: string) => void
}

export interface PassProcessResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  spawnError?: string
  /** Its stdout was longer than MAX_ANSWER bytes (then `stdout` is empty). */
  overflow?: boolean
}

/**
 * Runs a long command that reads its job on stdin and answers on stdout (the privileged pass,
 * through sudo or `docker run -i`). No timeout: deleting a big tree takes as long as it takes; a
 * cancel sends SIGINT once to the child itself (sudo relays it to the command; `docker run` proxies
 * it into the container), which then stops at a safe point, verifies and reports.
 */
export function runPassProcess(cmd: Command, opts: PassOptions): Promise<PassProcessResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = []
    let outBytes = 0
    let stderr = ''
    let partial = ''
    // Its own process group: a terminal's Ctrl-C reaches the outer run only, which forwards it
    // once (a pass that got every keystroke twice would quit unverified at the second Ctrl-C).
    const child = spawn(cmd.command, cmd.args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    const interrupt = (): void => {
      child.kill('SIGINT')
    }
    if (opts.signal?.aborted) interrupt()
    opts.signal?.addEventListener('abort', interrupt, { once: true })
    // Kept as bytes and decoded once: a character split between two reads stays whole.
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length
      if (outBytes <= MAX_ANSWER) out.push(d)
    })
    const stdout = (): string => (outBytes > MAX_ANSWER ? '' : Buffer.concat(out).toString('utf8'))
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString('utf8')
      if (stderr.length < MAX_OUTPUT) stderr += text
      const parts = (partial + text).split('\n')
      partial = parts.pop() ?? ''
      for (const l of parts) opts.onStderrLine?.(l)
    })
    // A child that exits before reading all of its stdin: EPIPE on our side, which is its exit's business.
    child.stdin.on('error', () => {})
    child.stdin.end(opts.input)
    let settled = false
    const finish = (r: PassProcessResult): void => {
      if (settled) return
      settled = true
      opts.signal?.removeEventListener('abort', interrupt)
      if (partial !== '') opts.onStderrLine?.(partial)
      resolve(r)
    }
    child.on('error', (err) => finish({ exitCode: null, signal: null, stdout: stdout(), stderr, spawnError: (err as NodeJS.ErrnoException).code ?? err.message }))
    child.on('close', (code, signal) => finish({ exitCode: code, signal, stdout: stdout(), stderr, overflow: outBytes > MAX_ANSWER }))
  })
}
