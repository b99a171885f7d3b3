/**
 * The privileged pass: when a run as an ordinary user could not delete entries for permission
 * reasons (a container wrote them as root, or as its own uid), the same bundled engine runs once
 * more as root on just those targets, through `sudo -n` or a container (docker/pass.ts), with the
 * same protected patterns, `docker: off`, and a JSON answer back. Never a shell `rm`.
 *
 * This module decides whether it can run (which mode, and why not), runs it, and folds its answer
 * into the outer run's outcome, which the outer run then verifies. The pass itself is the CLI's
 * `--privileged-pass` (cli/pass.ts): it reads a PassJob on stdin and checks that the root it sees
 * is the node (device + inode) the outer run guarded before it changes anything.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { NodeId } from '../fs/anchor.js'
import { checkImage, containerPassCommand, PASS_ROOT, unmountable } from '../docker/pass.js'
import { dockerEnv } from '../docker/cli.js'
import { describe, runPassProcess, type Command, type Runner } from '../docker/exec.js'
import type { OptionNames, PrivilegedMode } from '../common/options.js'
import type { DeleteError, Outcome, TargetOutcome } from './execute.js'
import type { Report, ReportTarget } from './report.js'
import { addTally } from './plan.js'
import { isPermissionCode } from '../common/errors.js'
import type { Availability, Escalation } from './privileged-report.js'

export type { Availability, Escalation }

/** Bumped whenever PassJob or PassAnswer change: an outer run and its pass come from one bundle. */
export const PASS_PROTOCOL = 1

/** What the outer run hands the pass on stdin. */
export interface PassJob {
  protocol: number
  /** The root as the pass sees it: the same path (sudo), or /env (container). */
  root: string
  /**
   * The device and inode the outer run guarded, and this machine's boot id (one kernel: a
   * container's /proc shows the host's): the pass refuses any other directory, or machine.
   */
  expect: NodeId & { boot: string | null }
  /** Only the targets that had permission errors, root-relative. */
  targets: string[]
  /** The run's extra protected patterns (the built-in ones are in the engine). */
  protected: string[]
  /** Root-relative files protected by exact path (the compose files, the config file). */
  exact: string[]
  removeTargetDirs: boolean
}

/** What the pass prints on stdout: its report, or why it refused. */
export interface PassAnswer {
  protocol: number
  report?: Report
  /** Device and inode of each file the pass truncated in place, by target (verification expects them). */
  truncatedNodes?: Record<string, [number, number][]>
  error?: { code: string; message: string }
}


export interface EscalationContext {
  mode: PrivilegedMode
  image: string
  root: string
  dockerHost: string
  timeoutSeconds: number
  env: NodeJS.ProcessEnv
  names: OptionNames
  runner: Runner
  trace?: (line: string) => void
  /** Test seam: where the bundle (dist/, holding cli/index.js and native/) is. */
  bundleDir?: string
}

/** Effective uid 0: nothing to escalate. */
export function runningAsRoot(): boolean {
  return process.geteuid?.() === 0
}

/** A deletion error a root pass can fix: a permission error, not an immutable or append-only entry. */
export function escalatable(e: Pick<DeleteError, 'code' | 'flags'>): boolean {
  return isPermissionCode(e.code) && e.flags === undefined
}

/**
 * The bundle holding `cli/index.js`: dist/ from dist/index.js (the action), from dist/cli/index.js
 * (the CLI), and from src/engine/ (tests running the sources).
 */
export function findBundle(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url))
  for (const d of [here, path.join(here, '..'), path.join(here, '..', '..', 'dist')]) {
    if (fs.existsSync(path.join(d, 'cli', 'index.js')) && fs.existsSync(path.join(d, 'index.js'))) return path.resolve(d)
  }
  return null
}

/**
 * Decides, once per run, which mode can finish what this user cannot delete. `auto` tries sudo,
 * then a container; each mode that cannot be used says why, for the refusal or the report.
 */
export class Escalator {
  private cached: Availability | null = null
  private readonly bundle: string | null

  constructor(private readonly ctx: EscalationContext) {
    this.bundle = ctx.bundleDir ?? findBundle()
  }

  /**
   * `pull`: a missing image may be pulled (a real run, once a pass is needed); a dry run never
   * pulls. Found once; asked again only to pull an image that was found missing.
   */
  async resolve(pull: boolean): Promise<Availability> {
    if (this.cached && !(pull && this.cached.pullable)) return this.cached
    this.cached = await this.find(pull)
    return this.cached
  }

  private async find(pull: boolean): Promise<Availability> {
    const { ctx, bundle } = this
    const tried: string[] = []
    let pullable = false
    if (ctx.mode === 'off') return { use: null, tried: [`${ctx.names('privileged')} is off`], pullable }
    if (bundle === null) return { use: null, tried: ['the bundled CLI (cli/index.js next to this bundle) is missing'], pullable }
    if (ctx.mode === 'sudo' || ctx.mode === 'auto') {
      const why = await this.sudoProblem()
      if (why === null) return { use: { via: 'sudo', image: null, pulled: false }, tried, pullable }
      tried.push(`sudo: ${why}`)
    }
    if (ctx.mode === 'container' || ctx.mode === 'auto') {
      const why = unmountable(ctx.root) ?? unmountable(bundle)
      if (why !== null) tried.push(`container: ${why}`)
      else {
        const img = await checkImage({ ...ctx, timeoutOption: ctx.names('docker-timeout') }, pull)
        if (img.ok) return { use: { via: 'container', image: ctx.image, pulled: img.pulled }, tried, pullable }
        pullable = img.absent && !pull
        tried.push(`container: ${img.why}${pullable ? ' (a real run pulls it before it changes anything)' : ''}`)
      }
    }
    return { use: null, tried, pullable }
  }

  /** Null when `sudo -n true` succeeds (no password needed), else why not. */
  private async sudoProblem(): Promise<string | null> {
    const cmd: Command = { command: 'sudo', args: ['-n', 'true'] }
    this.ctx.trace?.(`$ ${describe(cmd)}`)
    const r = await this.ctx.runner(cmd, { timeoutMs: 15000, env: this.ctx.env, cwd: '/' })
    if (r.exitCode === 0 && !r.timedOut) return null
    if (r.spawnError === 'ENOENT') return 'sudo is not installed'
    if (r.spawnError) return `sudo could not start (${r.spawnError})`
    if (r.timedOut) return 'sudo -n true did not answer within 15 s'
    const said = r.stderr.trim().split('\n')[0] ?? ''
    return /password/i.test(said) ? 'a password is required (sudo -n never prompts)' : `sudo -n true exited ${r.exitCode}${said ? `: ${said}` : ''}`
  }

  /** The command that runs the pass, and the job's root as the pass sees it. */
  passCommand(esc: Escalation): { cmd: Command; root: string; env: NodeJS.ProcessEnv } {
    const { bundle } = this
    if (bundle === null) throw new Error('the bundled CLI is missing')
    if (esc.via === 'sudo') {
      // -n: never prompt. sudo resets the environment; node and the bundle are named by absolute path.
      return { cmd: { command: 'sudo', args: ['-n', '--', process.execPath, path.join(bundle, 'cli', 'index.js'), '--privileged-pass'] }, root: this.ctx.root, env: this.ctx.env }
    }
    return { cmd: containerPassCommand(esc.image ?? this.ctx.image, this.ctx.root, bundle), root: PASS_ROOT, env: dockerEnv(this.ctx.env, this.ctx.dockerHost) }
  }
}

export interface PassResult {
  /** The pass's answer when it gave one. */
  answer: PassAnswer | null
  /** Why the pass failed to run or to answer (null when it answered with a report). */
  problem: string | null
  command: string
}

/** Runs the pass for `job` and reads its answer. */
export async function runPass(
  escalator: Escalator,
  esc: Escalation,
  job: Omit<PassJob, 'root' | 'protocol'>,
  opts: { signal?: AbortSignal; onLine?: (line: string) => void }
): Promise<PassResult> {
  const { cmd, root, env } = escalator.passCommand(esc)
  const full: PassJob = { protocol: PASS_PROTOCOL, root, ...job }
  const command = describe(cmd)
  const r = await runPassProcess(cmd, { input: JSON.stringify(full), env, cwd: '/', signal: opts.signal, onStderrLine: opts.onLine })
  if (r.spawnError) return { answer: null, problem: `${command} could not start (${r.spawnError})`, command }
  if (r.overflow) return { answer: null, problem: `${command} answered with more than 256 MiB`, command }
  let answer: PassAnswer | null = null
  try {
    const parsed = JSON.parse(r.stdout) as PassAnswer
    if (parsed && typeof parsed === 'object' && parsed.protocol === PASS_PROTOCOL) answer = parsed
  } catch {
    // reported below, with what it said
  }
  if (answer === null) {
    const said = r.stderr.trim().split('\n').slice(-3).join(' | ')
    const how = r.signal ? `was killed by ${r.signal}` : `exited ${r.exitCode}`
    return { answer: null, problem: `${command} ${how} without an answer${said ? `: ${said}` : ''}`, command }
  }
  if (answer.error) return { answer, problem: `the privileged pass refused: ${String(answer.error.message)}`, command }
  if (!wellFormed(answer.report)) return { answer: null, problem: `${command} answered without a well-formed report`, command }
  return { answer, problem: null, command }
}

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0
const isStr = (v: unknown): boolean => typeof v === 'string'

/** The parts of a pass's report the outer run reads, checked before they are merged. */
function wellFormed(r: unknown): r is Report {
  const rep = r as Partial<Report> | undefined
  if (!rep || typeof rep !== 'object' || !Array.isArray(rep.targets) || !Array.isArray(rep.errors) || !Array.isArray(rep.failures)) return false
  if (typeof rep.verification?.ok !== 'boolean' || !rep.totals || !isCount(rep.totals.files) || !isCount(rep.totals.bytes)) return false
  const tallies = ['files', 'bytes', 'dirs', 'others', 'truncatedFiles', 'truncatedBytes', 'heldUnlinkedFiles', 'heldUnlinkedBytes'] as const
  return (
    rep.targets.every((t) => t && isStr(t.path) && isStr(t.result) && tallies.every((k) => isCount(t[k])) && Array.isArray(t.kept) && Array.isArray(t.truncated) && Array.isArray(t.heldUnlinked)) &&
    rep.errors.every((e) => e && isStr(e.path) && isStr(e.code) && isStr(e.message)) &&
    rep.failures.every(isStr)
  )
}

/**
 * The pass's failures the outer run reports itself: all of them but the count of deletion errors,
 * whose errors are merged into the outcome (matched by the exact line the report writes).
 */
export function passFailures(report: Report): string[] {
  const merged = `${report.errors.length} deletion error(s); first: `
  return report.failures.filter((f) => !(report.errors.length > 0 && f.startsWith(merged)))
}

/**
 * Folds the pass's report into the outer outcome: each target it handled takes the pass's result,
 * kept entries and errors, and adds its counts (what the first pass removed stays counted).
 */
export function mergePass(outcome: Outcome, answer: PassAnswer): void {
  const report = answer.report as Report
  const byPath = new Map<string, ReportTarget>(report.targets.map((t) => [t.path, t]))
  const errors = passErrorsByTarget(report)
  for (const o of outcome.targets) {
    const p = byPath.get(o.path)
    if (!p) continue
    mergeTarget(o, p, errors.get(o.path) ?? [], answer.truncatedNodes?.[o.path] ?? [])
  }
  const totals = { files: 0, bytes: 0, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 }
  for (const t of outcome.targets) addTally(totals, t)
  outcome.totals = totals
  // An error of the pass under none of its targets is kept all the same: none may go unreported.
  const placed = new Set([...errors.values()].flat())
  outcome.errors = [...outcome.targets.flatMap((t) => t.errors), ...report.errors.filter((e) => !placed.has(e))]
  if (report.cancelled) outcome.cancelled = true
}

function mergeTarget(o: TargetOutcome, p: ReportTarget, errors: DeleteError[], nodes: [number, number][]): void {
  addTally(o, p)
  o.result = p.result as TargetOutcome['result']
  o.reason = p.reason
  o.kept = p.kept
  o.keptTotal = p.keptTotal
  o.keptDirs = p.keptDirs
  o.truncated = [...o.truncated, ...p.truncated]
  o.heldUnlinked = [...o.heldUnlinked, ...p.heldUnlinked]
  o.truncatedNodes = [...o.truncatedNodes, ...nodes.map(([dev, ino]) => ({ dev, ino }))]
  // The pass's own errors replace the permission errors it was given: those are what remain.
  o.errors = errors
}

/** The pass's errors, by target (its report keeps them in one list). */
function passErrorsByTarget(report: Report): Map<string, DeleteError[]> {
  const out = new Map<string, DeleteError[]>()
  for (const t of report.targets) out.set(t.path, [])
  for (const e of report.errors) {
    const t = report.targets.find((x) => e.path === x.path || e.path.startsWith(`${x.path}/`))
    if (t) out.get(t.path)?.push(e)
  }
  return out
}
