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
}

export type Runner = (cmd: Command, opts: ExecOptions) => Promise<CommandResult>

const MAX_OUTPUT = 4 * 1024 * 1024

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
      if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8')
    })
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8')
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
