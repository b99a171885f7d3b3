/**
 * The CLI's terminal side: the logger, the interactive confirmation, progress, colours.
 * On a terminal it is quiet but for the prompt, one redrawn progress line and the result; in a
 * pipe or a log file it prints a line per phase and per purged target (no redraws) so a person
 * tailing the log sees it move; --verbose adds every plan line and docker command. Colours are
 * decided per stream (NO_COLOR and FORCE_COLOR honoured). With --json, all of it goes to stderr.
 */
import readline from 'node:readline'
import type { Confirmer, Logger } from '../engine/run.js'
import type { Progress } from '../engine/execute.js'
import type { Plan } from '../engine/plan.js'
import { BUILTIN_PROTECTED } from '../engine/policy.js'
import { formatBytes, groupDigits, showPath } from '../common/text.js'
import { listingLines } from '../engine/report-lines.js'

export interface TermIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  env: NodeJS.ProcessEnv
}

export interface UiOptions {
  verbose: boolean
  json: boolean
  dryRun: boolean
  /** Aborted on SIGINT/SIGTERM: a pending question counts as "no", the result says what was cancelled. */
  signal?: AbortSignal
  /** --list: the prompt lists every entry that goes (a dry run lists them in its result). */
  list?: boolean
}

type Paint = (s: string) => string

export interface Palette {
  red: Paint
  green: Paint
  yellow: Paint
  bold: Paint
}

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  // FORCE_COLOR=0/false forces colours off, any other value on (Node's and chalk's reading).
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stream.isTTY === true
}

export function palette(on: boolean): Palette {
  const sgr = (code: string): Paint => (s) => (on ? `\x1b[${code}m${s}\x1b[0m` : s)
  return { red: sgr('31'), green: sgr('32'), yellow: sgr('33'), bold: sgr('1') }
}

/** The first `max` items, then "and N more" when the list was cut. */
export function cutList(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(', ')
  return items.length > max ? `${shown}, and ${items.length - max} more` : shown
}

const KEPT_SHOWN = 10
const PATTERNS_SHOWN = 20

export class TerminalUi {
  private readonly out: TermIO['stdout']
  /** Colours for `out` and for stderr, each from its own stream. */
  readonly paint: Palette
  readonly errPaint: Palette
  /** On a terminal: one redrawn progress line. Elsewhere: a line per phase and per target. */
  private readonly live: boolean
  private group = ''
  private step = 0
  private progressShown = false
  private plan: Plan | null = null
  /** The last progress report, and the totals when the previous target ended. */
  private last: Progress | null = null
  private base = { files: 0, bytes: 0 }

  constructor(
    private readonly io: TermIO,
    private readonly opts: UiOptions
  ) {
    this.out = opts.json ? io.stderr : io.stdout
    this.live = this.out.isTTY === true
    this.paint = palette(useColor(this.out, io.env))
    this.errPaint = palette(useColor(io.stderr, io.env))
  }

  print(line = ''): void {
    this.clearProgress()
    this.out.write(`${line}\n`)
  }

  private err(line: string): void {
    this.clearProgress()
    this.io.stderr.write(`${line}\n`)
  }

  private get cancelled(): boolean {
    return this.opts.signal?.aborted === true
  }

  readonly logger: Logger = {
    info: (raw) => {
      if (this.opts.verbose) this.print(`      ${raw}`)
      else if (this.group === 'Result') this.print(this.paintResult(raw))
    },
    warning: (line) => this.err(this.errPaint.yellow(`warning: ${line}`)),
    error: (line) => this.err(this.errPaint.red(`error: ${line}`)),
    group: async (name, fn) => {
      this.group = name
      this.step++
      // Numbered without a total: which phases run is known only as the run goes (whether a stack
      // runs, whether a privileged pass or a service restart is needed), and a total that changed
      // on the way, or a number skipped, would read as a step missed.
      if (this.opts.verbose || !this.live) this.print(this.paint.bold(`[${this.step}] ${name}`))
      else if (name === 'Result') this.print()
      try {
        return await fn()
      } finally {
        if (name === 'Purge') this.endTarget()
        this.clearProgress()
        this.group = ''
      }
    }
  }

  private paintResult(line: string): string {
    const p = this.paint
    if (/^verified: .*cancelled/.test(line)) return p.yellow(line)
    if (/^(verified|purged|would-purge)/.test(line)) return p.green(line)
    if (/^(NOT verified|error:|failed|refused|changed|cancelled|dry run: \d+ protected)/.test(line)) return p.red(line)
    return line
  }

  private presentTargets(): string[] {
    return this.plan ? this.plan.targets.filter((t) => t.status === 'present').map((t) => t.path) : []
  }

  /**
   * The executor reports totals over all targets, after every finished target and in between;
   * a change of target therefore closes the previous one (as does the end of the Purge phase).
   */
  readonly progress = (p: Progress): void => {
    if (this.last && this.last.target !== p.target) this.endTarget()
    this.last = { ...p }
    if (!this.live) return
    const present = this.presentTargets()
    const at = present.indexOf(p.target)
    const position = at >= 0 && present.length > 1 ? ` (${at + 1} of ${present.length})` : ''
    const of = p.plannedFiles > 0 ? ` of ${groupDigits(p.plannedFiles)}` : ''
    const pct = p.plannedFiles > 0 ? ` (${Math.min(100, Math.floor((100 * p.files) / p.plannedFiles))}%)` : ''
    let line = `  purging ${showPath(p.target)}${position}; all targets so far: ${groupDigits(p.files)}${of} files, ${formatBytes(p.bytes)} removed${pct}`
    // A line wider than the terminal wraps, and \r would then redraw only its last row.
    const cols = this.out.columns ?? 0
    if (cols > 1 && line.length >= cols) line = line.slice(0, cols - 1)
    this.out.write(`\r\x1b[K${line}`)
    this.progressShown = true
  }

  /** Off a terminal, one line per purged target with what it alone removed. */
  private endTarget(): void {
    const p = this.last
    if (!p) return
    this.last = null
    const files = p.files - this.base.files
    const bytes = p.bytes - this.base.bytes
    this.base = { files: p.files, bytes: p.bytes }
    if (this.live || (this.plan && !this.presentTargets().includes(p.target))) return
    this.print(`  ${showPath(p.target)}: ${groupDigits(files)} file(s), ${formatBytes(bytes)} removed`)
  }

  private clearProgress(): void {
    if (this.progressShown) {
      this.out.write('\r\x1b[K')
      this.progressShown = false
    }
  }

  private ask(question: string): Promise<string> {
    const rl = readline.createInterface({ input: this.io.stdin, output: this.out, terminal: true })
    const signal = this.opts.signal
    return new Promise((resolve) => {
      let answered = false
      // SIGTERM while the question waits: no answer, which is "no".
      const onAbort = (): void => rl.close()
      signal?.addEventListener('abort', onAbort, { once: true })
      rl.question(question, (answer) => {
        answered = true
        rl.close()
        resolve(answer.trim())
      })
      rl.on('close', () => {
        signal?.removeEventListener('abort', onAbort)
        if (!answered) resolve('')
      })
    })
  }

  /** Shows what goes and what stays, then asks; --full also asks for the project's name. */
  readonly confirmer: Confirmer = async ({ settings, root, plan, docker }) => {
    this.plan = plan
    if (this.cancelled) return 'cancelled by a signal before anything was changed'
    const present = plan.targets.filter((t) => t.status === 'present')
    if (settings.force) {
      // --list without a prompt: the listing still shows what goes, before it goes.
      if (this.opts.list) for (const l of listingLines(present, false)) this.print(l)
      return null
    }
    if (!this.io.stdin.isTTY) {
      return `refusing to purge ${showPath(root.path)} without confirmation: stdin is not a terminal; pass --force (-y) to purge without asking, or --dry-run to preview`
    }
    const p = this.paint
    this.print(p.bold(p.red(`ENVIRONMENT PURGE: ${showPath(root.path)}`)))
    this.print()
    this.print('This will DELETE:')
    if (present.length === 0) this.print('  no file: none of the targets exists')
    for (const t of present) {
      this.print(`  ${showPath(t.path).padEnd(28)} ${t.files} file(s), ${formatBytes(t.bytes)}${t.others ? `, ${t.others} link(s)/special` : ''}`)
    }
    if (docker.active) {
      // What the run will do, in the future tense: nothing is stopped yet while the question waits.
      const running = docker.containers.length ? `will stop and remove the running ${docker.containers.join(', ')}` : 'no container of it runs'
      const exited = docker.exited.length ? `; will remove the exited ${docker.exited.join(', ')}` : ''
      this.print(`  Docker: ${docker.compose?.command.join(' ')} down, project ${docker.project}: ${running}${exited}`)
      for (const v of docker.volumes.filter((x) => x.action === 'remove')) this.print(`  Docker volume ${showPath(v.name)}`)
    }
    if (this.opts.list) for (const l of listingLines(present, false)) this.print(l)
    this.print('This will NOT delete:')
    for (const t of plan.targets) {
      for (const k of t.kept.slice(0, KEPT_SHOWN)) this.print(`  ${showPath(k.path)} (${k.reason}, inside ${showPath(t.path)})`)
      const more = t.keptTotal - Math.min(t.kept.length, KEPT_SHOWN)
      if (more > 0) this.print(`  ... and ${more} more protected/mount entr${more === 1 ? 'y' : 'ies'} inside ${showPath(t.path)}`)
    }
    for (const v of docker.volumes.filter((x) => x.action === 'keep')) this.print(`  Docker volume ${showPath(v.name)} (${v.reason})`)
    // What the policy of this run protects: the built-in patterns, the run's own, the files it reads.
    const patterns = [...new Set([...BUILTIN_PROTECTED, ...settings.protected])].map(showPath)
    this.print(`  anything matching: ${cutList(patterns, PATTERNS_SHOWN)}`)
    const files = [...docker.files, ...(settings.configFile ? [settings.configFile] : [])].map(showPath)
    if (files.length > 0) this.print(`  the files this run reads: ${cutList(files, PATTERNS_SHOWN)}`)
    this.print()
    const yes = await this.ask(p.yellow('Are you sure you want to proceed? (y/N) '))
    if (this.cancelled) return 'cancelled by a signal: nothing was changed'
    if (!/^(y|yes)$/i.test(yes)) return 'cancelled: nothing was changed'
    const volumes = docker.volumes.filter((v) => v.action === 'remove')
    if (settings.full && docker.active && volumes.length > 0) {
      const name = await this.ask(p.yellow(`--full removes ${volumes.length} volume(s) of project ${docker.project}. Type the project name to confirm: `))
      if (this.cancelled) return 'cancelled by a signal: nothing was changed'
      if (name !== docker.project) return `cancelled: ${JSON.stringify(name)} is not the project name ${JSON.stringify(docker.project)}; nothing was changed`
    }
    return null
  }
}
