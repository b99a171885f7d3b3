/** Drives the built CLI (dist/cli/index.js): through pipes, and in a real terminal with tmux. */
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { REPO, systemNode } from './action.js'

export const CLI = path.join(REPO, 'dist', 'cli', 'index.js')

export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
}

/** Without a terminal: stdin is a pipe (empty unless `input`). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): CliRun {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...opts.env }
  const r = spawnSync(systemNode(), [CLI, ...args], { cwd: opts.cwd, env, input: opts.input ?? '', encoding: 'utf8', timeout: 60000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A tmux session running the CLI in a real pseudo-terminal. */
export class Tmux {
  readonly name = `sp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`

  constructor(args: string[], opts: { cwd: string; env?: Record<string, string> }) {
    const envs = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shq(v)}`).join(' ')
    const cmd = `cd ${shq(opts.cwd)} && env ${envs} ${shq(systemNode())} ${shq(CLI)} ${args.map(shq).join(' ')}; echo "EXIT=$?"; sleep 600`
    const r = spawnSync('tmux', ['new-session', '-d', '-s', this.name, '-x', '200', '-y', '60', cmd], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`tmux failed: ${r.stderr}`)
  }

  screen(): string {
    return spawnSync('tmux', ['capture-pane', '-p', '-e', '-J', '-S', '-500', '-t', this.name], { encoding: 'utf8' }).stdout
  }

  async waitFor(pattern: RegExp, timeoutMs = 30000): Promise<string> {
    const end = Date.now() + timeoutMs
    for (;;) {
      const s = this.screen()
      if (pattern.test(s)) return s
      if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; screen:\n${s}`)
      await sleep(100)
    }
  }

  type(text: string): void {
    spawnSync('tmux', ['send-keys', '-t', this.name, '-l', text])
    spawnSync('tmux', ['send-keys', '-t', this.name, 'Enter'])
  }

  async exitCode(): Promise<number> {
    const s = await this.waitFor(/EXIT=\d+/)
    return Number(/EXIT=(\d+)/.exec(s)?.[1])
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name])
  }
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}
