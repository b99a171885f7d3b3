// The README's inputs and outputs tables are generated from action.yml, and its CLI synopsis from
// the built CLI's --help, so the docs cannot drift from what the action and the CLI accept.
//
//   node scripts/docs-tables.mjs            rewrite the generated sections of README.md
//   node scripts/docs-tables.mjs --check    exit 1, naming each section that differs (the test runs this)
//   [--action FILE] [--readme FILE] [--cli FILE]   other files (the test's drifted copies)
//
// Each section sits between `<!-- NAME:begin ... -->` and `<!-- NAME:end -->` in the README.
// action.yml's descriptions are the source: each ends with a sentence "Default: ...", which
// becomes the table's default column.
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i === -1 ? fallback : path.resolve(args[i + 1])
}
const check = args.includes('--check')
const actionFile = option('--action', path.join(repo, 'action.yml'))
const readmeFile = option('--readme', path.join(repo, 'README.md'))
const cliFile = option('--cli', path.join(repo, 'dist', 'cli', 'index.js'))

const fail = (message) => {
  console.error(`docs-tables: ${message}`)
  process.exit(1)
}

const cell = (s) => s.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

/** "Meaning. Default: X." -> { meaning, default }. */
function split(name, description) {
  const text = String(description ?? '').replace(/\s+/g, ' ').trim()
  const at = text.lastIndexOf(' Default: ')
  if (at === -1) return { meaning: text, default: null }
  return { meaning: text.slice(0, at), default: text.slice(at + ' Default: '.length).replace(/\.$/, '') }
}

function inputsTable(action) {
  const rows = Object.entries(action.inputs ?? {}).map(([name, spec]) => {
    const { meaning, default: def } = split(name, spec.description)
    if (def === null) fail(`${path.basename(actionFile)}: input ${name}'s description has no closing "Default: ..." sentence`)
    return `| \`${name}\` | ${cell(def)} | ${cell(meaning)} |`
  })
  return ['| input | default | meaning |', '|---|---|---|', ...rows].join('\n')
}

function outputsTable(action) {
  const rows = Object.entries(action.outputs ?? {}).map(([name, spec]) => `| \`${name}\` | ${cell(String(spec.description ?? ''))} |`)
  return ['| output | meaning |', '|---|---|', ...rows].join('\n')
}

function synopsis() {
  const r = spawnSync(process.execPath, [cliFile, '--help'], { encoding: 'utf8' })
  if (r.status !== 0) fail(`${cliFile} --help failed (${r.status ?? r.signal}): run npm run build first`)
  const usage = r.stdout.split('\n\n')[0]
  if (!usage.startsWith('Usage: safe-purge')) fail(`${cliFile} --help does not start with its synopsis`)
  return ['```text', usage, '```'].join('\n')
}

const action = parse(fs.readFileSync(actionFile, 'utf8'))
const sections = { inputs: inputsTable(action), outputs: outputsTable(action), 'cli-synopsis': synopsis() }

let readme = fs.readFileSync(readmeFile, 'utf8')
const stale = []
for (const [name, body] of Object.entries(sections)) {
  const re = new RegExp(`(<!-- ${name}:begin[^>]*-->\\n)([\\s\\S]*?)(<!-- ${name}:end -->)`)
  const m = re.exec(readme)
  if (!m) fail(`${path.basename(readmeFile)} has no <!-- ${name}:begin --> ... <!-- ${name}:end --> section`)
  if (m[2] !== `${body}\n`) stale.push(name)
  readme = readme.replace(re, (_, begin, _old, end) => `${begin}${body}\n${end}`)
}

if (check) {
  if (stale.length > 0) {
    fail(`${path.basename(readmeFile)} differs from ${path.basename(actionFile)} and the CLI's --help in: ${stale.join(', ')}; run npm run docs:tables and commit README.md`)
  }
  console.log('docs-tables: README.md matches action.yml and the CLI')
} else {
  fs.writeFileSync(readmeFile, readme)
  console.log(stale.length > 0 ? `docs-tables: rewrote ${stale.join(', ')} in ${path.basename(readmeFile)}` : 'docs-tables: README.md was up to date')
}
