#!/usr/bin/env node
// The README's demo: builds a sample MT5-like environment in a temp dir and runs the built action
// (dist/index.js) on it exactly as the GitHub runner would, then shows what is left.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-purge-demo-'))
const root = path.join(base, 'mt5-crs')
const files = {
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
for (const [rel, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
  fs.writeFileSync(path.join(root, rel), text)
}

const list = (dir) => {
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

console.log(`Sample environment: ${root}\n`)
console.log(list(root).map((l) => `  ${l}`).join('\n'))

const runnerTemp = path.join(base, 'runner-temp')
fs.mkdirSync(runnerTemp)
const outputFile = path.join(base, 'github-output')
const summaryFile = path.join(base, 'step-summary.html')
fs.writeFileSync(outputFile, '')
fs.writeFileSync(summaryFile, '')
const env = {
  ...process.env,
  INPUT_ROOT: root,
  INPUT_FORCE: 'true',
  GITHUB_WORKSPACE: root,
  GITHUB_OUTPUT: outputFile,
  GITHUB_STEP_SUMMARY: summaryFile,
  RUNNER_TEMP: runnerTemp
}
console.log('\n$ node dist/index.js   (INPUT_ROOT=<sample>, INPUT_FORCE=true)\n')
const r = spawnSync(process.execPath, [path.join(repo, 'dist', 'index.js')], { env, encoding: 'utf8' })
const pretty = r.stdout
  .replace(/^::group::(.*)$/gm, '\n== $1 ==')
  .replace(/^::endgroup::\n/gm, '')
  .replace(/^::warning::/gm, 'warning: ')
  .replace(/^::error::/gm, 'ERROR: ')
process.stdout.write(pretty)
process.stderr.write(r.stderr)

console.log('\n== Outputs ==')
const outputs = fs.readFileSync(outputFile, 'utf8').match(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm) ?? []
for (const o of outputs) {
  const [, name, , value] = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/.exec(o)
  console.log(`  ${name} = ${value}`)
}
console.log('\n== What is left ==')
console.log(list(root).map((l) => `  ${l}`).join('\n'))
console.log(`\nJob summary (HTML): ${summaryFile}`)
console.log(`Demo files stay in ${base} (delete it when done).`)
process.exit(r.status ?? 1)
