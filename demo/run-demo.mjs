#!/usr/bin/env node
// The README's demo: builds a sample MT5-like environment in a temp dir and runs the built action
// (dist/index.js, or --bundle PATH) on it exactly as the GitHub runner would, then shows what is left.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSample, listTree, prettyLog, runAction } from './sample.mjs'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const at = process.argv.indexOf('--bundle')
const bundle = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : path.join(repo, 'dist', 'index.js')
if (!fs.existsSync(bundle)) {
  console.error(`${bundle} does not exist: run npm run build first (or npm run demo)`)
  process.exit(1)
}
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-purge-demo-'))
const root = path.join(base, 'mt5-crs')
buildSample(root)

console.log(`Sample environment: ${root}\n`)
console.log(listTree(root).map((l) => `  ${l}`).join('\n'))

const shown = path.relative(repo, bundle).startsWith('..') ? bundle : path.relative(repo, bundle)
console.log(`\n$ node ${shown}   (INPUT_ROOT=<sample>, INPUT_FORCE=true)\n`)
const r = runAction({ bundle, root, work: base, inputs: { force: 'true' } })
process.stdout.write(prettyLog(r.stdout))
process.stderr.write(r.stderr)

console.log('\n== Outputs ==')
for (const [name, value] of Object.entries(r.outputs)) console.log(`  ${name} = ${value}`)
console.log('\n== What is left ==')
console.log(listTree(root).map((l) => `  ${l}`).join('\n'))
console.log(`\nJob summary (HTML): ${r.summaryFile}`)
console.log(`Demo files stay in ${base} (delete it when done).`)
process.exit(r.status ?? 1)
