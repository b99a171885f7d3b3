/**
 * Drives the built CLI (dist/cli/index.js): through pipes, and in a real terminal with tmux.
 * Every run gets a clean environment (PATH, HOME and what the test sets), so a developer's
 * NO_COLOR, FORCE_COLOR, TMUX or tmux configuration cannot change what the tests see.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { REPO, systemNode } from './action.js'

export const CLI = path.join(REPO, 'dist', 'cli', 'index.js')

export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
}

function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...extra }
}

/** Without a terminal: stdin is a pipe (empty unless `input`). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): CliRun {
  const r = spawnSync(systemNode(), [CLI, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env), input: opts.input ?? '', encoding: 'utf8', timeout: 60000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The CLI running in the background without a terminal, to signal it while it works. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams
  stdout = ''
  stderr = ''
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>

  constructor(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
    this.child = spawn(systemNode(), [CLI, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: 'pipe' })
    this.child.stdin.end()
    this.child.stdout.on('data', (d: Buffer) => (this.stdout += d.toString('utf8')))
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')))
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })))
  }

  /** Resolves as soon as `pattern` shows on stderr (or stdout), polling every few milliseconds. */
  async waitFor(pattern: RegExp, timeoutMs = 30000): Promise<void> {
    const end = Date.now() + timeoutMs
    while (!pattern.test(this.stderr) && !pattern.test(this.stdout)) {
      if (Date.now() > end || this.child.exitCode !== null) throw new Error(`no ${pattern} from the CLI; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`)
      await sleep(2)
    }
  }

  kill(sig: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(sig)
  }
}

/**
 * A tmux session running the CLI in a real pseudo-terminal, on a server of its own (`-L`, no
 * configuration file), started with a clean environment; kill() ends that server.
 */
export class Tmux {
  readonly socket = `sp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`
  readonly name = 'cli'

  constructor(args: string[], opts: { cwd: string; env?: Record<string, string>; stdoutFile?: string; stderrFile?: string }) {
    const envs = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shq(v)}`).join(' ')
    const redirect = `${opts.stdoutFile ? ` >${shq(opts.stdoutFile)}` : ''}${opts.stderrFile ? ` 2>${shq(opts.stderrFile)}` : ''}`
    const cmd = `cd ${shq(opts.cwd)} && env ${envs} ${shq(systemNode())} ${shq(CLI)} ${args.map(shq).join(' ')}${redirect}; echo "EXIT=$?"; sleep 600`
    const r = this.tmux(['new-session', '-d', '-s', this.name, '-x', '200', '-y', '60', cmd])
    if (r.status !== 0) throw new Error(`tmux failed: ${r.stderr}`)
  }

  private tmux(args: string[]): { status: number | null; stdout: string; stderr: string } {
    // The server takes its global environment from this first client: keep it clean too.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TERM: 'xterm-256color', LANG: 'C.UTF-8' }
    const r = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env })
    return { status: r.status, stdout: r.stdout, stderr: r.stderr }
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-e', '-J', '-S', '-500', '-t', this.name]).stdout
  }

  /** Everything the program writes to the terminal from now on (cursor moves included) goes to `file`. */
  record(file: string): void {
    const r = this.tmux(['pipe-pane', '-o', '-t', this.name, `cat >> ${shq(file)}`])
    if (r.status !== 0) throw new Error(`tmux pipe-pane failed: ${r.stderr}`)
  }

  /** Resolves with the screen once it shows `pattern`, looking every `everyMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 30000, everyMs = 100): Promise<string> {
    const end = Date.now() + timeoutMs
    for (;;) {
      const s = this.screen()
      if (pattern.test(s)) return s
      if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; screen:\n${s}`)
      await sleep(everyMs)
    }
  }

  type(text: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', text])
    this.tmux(['send-keys', '-t', this.name, 'Enter'])
  }

  /** A key as tmux names it, e.g. C-c. */
  key(name: string): void {
    this.tmux(['send-keys', '-t', this.name, name])
  }

  /** The CLI's pid: the child of the pane's shell. */
  pid(): number {
    const shell = this.tmux(['list-panes', '-t', this.name, '-F', '#{pane_pid}']).stdout.trim()
    const children = fs.readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/)
    if (children.length !== 1 || children[0] === '') throw new Error(`pane shell ${shell} has children ${JSON.stringify(children)}`)
    return Number(children[0])
  }

  async exitCode(): Promise<number> {
    const s = await this.waitFor(/EXIT=\d+/)
    return Number(/EXIT=(\d+)/.exec(s)?.[1])
  }

  kill(): void {
    this.tmux(['kill-server'])
  }
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** A `docker` on PATH that plays a daemon with Compose v2 and three volumes of project `proj`; it logs each call. */
export function fakeDocker(dir: string): { path: string; log: string } {
  const log = path.join(dir, 'docker-calls.log')
  const bin = path.join(dir, 'bin')
  fs.mkdirSync(bin, { recursive: true })
  const volume = (key: string): string =>
    `{"Name":"proj_${key}","Labels":{"com.docker.compose.project":"proj","com.docker.compose.volume":"${key}"}}`
  const script = `#!/bin/sh
printf '%s\\n' "DOCKER_HOST=$DOCKER_HOST $*" >> ${shq(log)}
case "$1 $2" in
  "version --format")
    [ -n "$FAKE_DOCKER_SLEEP" ] && exec sleep "$FAKE_DOCKER_SLEEP"
    if [ -n "$DOCKER_HOST" ]; then echo "Cannot connect to the Docker daemon at $DOCKER_HOST. Is the docker daemon running?" >&2; exit 1; fi
    echo 27.0.0 ;;
  "compose version") echo "Docker Compose version v2.29.0" ;;
  "ps -a") ;;
  "ps -aq") ;;
  "volume ls") printf 'proj_redis_data\\nproj_pg_data\\nproj_cache\\n' ;;
  "volume inspect") echo '[${volume('redis_data')},${volume('pg_data')},${volume('cache')}]' ;;
  "volume rm") echo "$3" ;;
  compose*) ;;
  *) echo "fake docker: unexpected $*" >&2; exit 1 ;;
esac
`
  fs.writeFileSync(path.join(bin, 'docker'), script, { mode: 0o755 })
  return { path: `${bin}:${process.env.PATH ?? ''}`, log }
}
