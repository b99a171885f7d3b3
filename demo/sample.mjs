// The sample MT5-like environment of the demo and the docs' pictures, and a run of the built action
// on it through the GitHub runner's contract (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP).
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'

export const SAMPLE_FILES = {
  'models/baseline_v1.json': '{"weights":[0.12,0.55,0.33]}\n',
  'config/strategies.yaml': 'strategy: mean_reversion\nrisk: 0.02\n',
  '.env': 'MT5_API_KEY=not-a-real-key\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
  'src/main/runner.py': 'print("trading")\n',
  'scripts/maintenance/purge_env.py': '# the old script\n',
  'logs/trading.log': 'tick 1.0842\n'.repeat(2000),
  'logs/errors.log': 'order rejected\n'.repeat(100),
  'logs/config/keep.yaml': 'a protected name inside a target stays\n',
  'data/redis/dump.rdb': 'REDIS0009'.repeat(500),
  'data/temp/cache.pkl': 'features'.repeat(300),
  'data/resources/prices.csv': 'not a target, not touched\n'
}

/** Writes the sample environment at `root` (created, with its parents). */
export function buildSample(root) {
  for (const [rel, text] of Object.entries(SAMPLE_FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    fs.writeFileSync(path.join(root, rel), text)
  }
}

/** Every entry under `dir`, sorted: `a/` for a directory, `a/b (12 B)` for anything else. */
export function listTree(dir) {
  const out = []
  const walk = (rel) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name
      const st = fs.lstatSync(path.join(dir, r))
      out.push(st.isDirectory() ? `${r}/` : `${r} (${st.size} B)`)
      if (st.isDirectory()) walk(r)
    }
  }
  walk('')
  return out
}

/**
 * Runs the action bundle on `root` as the runner does: inputs as INPUT_* (names upper-cased),
 * outputs and the job summary in files, RUNNER_TEMP for the report. `work` is a directory for
 * those files. Returns the exit status, stdout, stderr, the outputs and the summary's HTML.
 */
export function runAction({ bundle, root, work, inputs = {} }) {
  const runnerTemp = path.join(work, 'runner-temp')
  fs.mkdirSync(runnerTemp, { recursive: true })
  const outputFile = path.join(work, 'github-output')
  const summaryFile = path.join(work, 'step-summary.html')
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')
  // No INPUT_* of an enclosing step leaks into the run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_')))
  for (const [name, value] of Object.entries({ root, ...inputs })) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  Object.assign(env, { GITHUB_WORKSPACE: root, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: runnerTemp })
  const r = spawnSync(process.execPath, [bundle], { env, encoding: 'utf8' })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs: readOutputs(outputFile), summary: fs.readFileSync(summaryFile, 'utf8'), summaryFile }
}

/** The `name<<DELIMITER` blocks @actions/core writes to GITHUB_OUTPUT. */
export function readOutputs(file) {
  const out = {}
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]] = m[3]
  return out
}

/** The action's log as a terminal shows it: groups as headings, workflow commands as words. */
export function prettyLog(stdout) {
  return stdout
    .replace(/^::group::(.*)$/gm, '\n== $1 ==')
    .replace(/^::endgroup::\n/gm, '')
    .replace(/^::warning::/gm, 'warning: ')
    .replace(/^::error::/gm, 'ERROR: ')
}
