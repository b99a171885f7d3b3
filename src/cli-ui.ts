/**
 * The CLI's terminal side: the logger (quiet by default, every phase and command with
 * --verbose), the interactive confirmation, the progress line, colours (only on a terminal;
 * NO_COLOR and FORCE_COLOR honoured). With --json, everything here goes to stderr.
 */
import readline from 'node:readline'
import type { Confirmer, Logger } from './run.js'
import type { Progress } from './execute.js'
import { formatBytes, showPath } from './report.js'

export interface TermIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
}

export interface UiOptions {
  verbose: boolean
  json: boolean
  dryRun: boolean
}

type Paint = (s: string) => string

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  // FORCE_COLOR=0/false forces colours off, any other value on (Node's and chalk's reading).
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stream.isTTY === true
}

export class TerminalUi {
  private readonly out: TermIO['stdout']
  private readonly color: boolean
  private group = ''
  private step = 0
  private progressShown = false
  readonly red: Paint
  readonly green: Paint
  readonly yellow: Paint
  readonly bold: Paint

  constructor(
    private readonly io: TermIO,
    private readonly opts: UiOptions
  ) {
    this.out = opts.json ? io.stderr : io.stdout
    this.color = useColor(this.out, io.env)
    const sgr = (code: string): Paint => (s) => (this.color ? `\x1b[${code}m${s}\x1b[0m` : s)
    this.red = sgr('31')
    this.green = sgr('32')
    this.yellow = sgr('33')
    this.bold = sgr('1')
  }

  print(line = ''): void {
    this.clearProgress()
    this.out.write(`${line}\n`)
  }

  private err(line: string): void {
    this.clearProgress()
    this.io.stderr.write(`${line}\n`)
  }

  readonly logger: Logger = {
    info: (line) => {
      if (this.opts.verbose) this.print(`      ${line}`)
      else if (this.group === 'Result') this.print(this.paintResult(line))
    },
    warning: (line) => this.err(this.yellow(`warning: ${line}`)),
    error: (line) => this.err(this.red(`error: ${line}`)),
    group: async (name, fn) => {
      this.group = name
      if (this.opts.verbose) this.print(this.bold(`[${++this.step}/${this.opts.dryRun ? 6 : 8}] ${name}`))
      else if (name === 'Result') this.print()
      try {
        return await fn()
      } finally {
        this.clearProgress()
        this.group = ''
      }
    }
  }

  private paintResult(line: string): string {
    if (/^(verified|purged|would-purge)/.test(line)) return this.green(line)
    if (/^(NOT verified|error:|failed|refused|changed|cancelled)/.test(line)) return this.red(line)
    return line
  }

  /** A single refreshed line on a terminal; nothing otherwise. */
  readonly progress = (p: Progress): void => {
    if (!this.out.isTTY) return
    const pct = p.plannedFiles > 0 ? ` (${Math.min(100, Math.floor((100 * p.files) / p.plannedFiles))}%)` : ''
    this.out.write(`\r\x1b[K  purging ${showPath(p.target)}: ${p.files.toLocaleString('en-US')} files, ${formatBytes(p.bytes)} removed${pct}`)
    this.progressShown = true
  }

  private clearProgress(): void {
    if (this.progressShown) {
      this.out.write('\r\x1b[K')
      this.progressShown = false
    }
  }

  private ask(question: string): Promise<string> {
    const rl = readline.createInterface({ input: this.io.stdin, output: this.out, terminal: true })
    return new Promise((resolve) => {
      let answered = false
      rl.question(question, (answer) => {
        answered = true
        rl.close()
        resolve(answer.trim())
      })
      rl.on('close', () => {
        if (!answered) resolve('')
      })
    })
  }

  /** Shows what goes and what stays, then asks; --full also asks for the project's name. */
  readonly confirmer: Confirmer = async ({ settings, root, plan, docker }) => {
    if (settings.force) return null
    if (!this.io.stdin.isTTY) {
      return `refusing to purge ${showPath(root.path)} without confirmation: stdin is not a terminal; pass --force (-y) to purge without asking, or --dry-run to preview`
    }
    this.print(this.bold(this.red(`ENVIRONMENT PURGE: ${showPath(root.path)}`)))
    this.print()
    this.print('This will DELETE:')
    for (const t of plan.targets) {
      if (t.status !== 'present') continue
      this.print(`  ${showPath(t.path).padEnd(28)} ${t.files} file(s), ${formatBytes(t.bytes)}${t.others ? `, ${t.others} link(s)/special` : ''}`)
    }
    if (docker.active) {
      this.print(`  Docker: ${docker.compose?.command.join(' ')} down, project ${docker.project} (${docker.containers.length ? docker.containers.join(', ') : 'no containers'})`)
      for (const v of docker.volumes.filter((x) => x.action === 'remove')) this.print(`  Docker volume ${showPath(v.name)}`)
    }
    this.print('This will NOT delete:')
    for (const t of plan.targets) for (const k of t.kept.slice(0, 10)) this.print(`  ${showPath(k.path)} (${k.reason}, inside ${showPath(t.path)})`)
    for (const v of docker.volumes.filter((x) => x.action === 'keep')) this.print(`  Docker volume ${showPath(v.name)} (${v.reason})`)
    this.print(`  anything matching: ${[...new Set([...settings.protected, 'models', 'config', 'src', 'scripts', 'docs', '.git', '.env', '...'])].join(', ')}`)
    this.print()
    const yes = await this.ask(this.yellow('Are you sure you want to proceed? (y/N) '))
    if (!/^(y|yes)$/i.test(yes)) return 'cancelled: nothing was changed'
    const volumes = docker.volumes.filter((v) => v.action === 'remove')
    if (settings.full && docker.active && volumes.length > 0) {
      const name = await this.ask(this.yellow(`--full removes ${volumes.length} volume(s) of project ${docker.project}. Type the project name to confirm: `))
      if (name !== docker.project) return `cancelled: ${JSON.stringify(name)} is not the project name ${JSON.stringify(docker.project)}; nothing was changed`
    }
    return null
  }
}
