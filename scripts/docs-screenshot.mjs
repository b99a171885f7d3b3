#!/usr/bin/env node
// The README's pictures of a run: builds the demo's sample environment in a temp dir, runs the built
// action on it through the GitHub runner's contract (a real run, force: true, like demo/run-demo.mjs),
// renders the job summary it wrote with headless Chromium, styled like GitHub's job summary, to
// docs/summary.png; and writes docs/console-sample.txt, the CLI's output (a dry run with its listing, then a real
// run) on a fresh copy of the sample.
//
//   node scripts/docs-screenshot.mjs [--bundle dist/index.js] [--out docs/]
//
// The CLI is the bundle next to the action's: <dir of --bundle>/cli/index.js.
// Chromium: $CHROMIUM, else chromium, chromium-browser, google-chrome or google-chrome-stable on PATH.
//
// So that both files read well and stay the same from one run to the next:
// - the sample lives at <tmp>/srv/mt5-crs, and that temp path is shown as /srv/mt5-crs in the
//   summary HTML and the console text (replaced in both before they are written or rendered);
// - docker is off (input docker: off, --docker off): what a machine's docker daemon answers
//   would otherwise change the text;
// Every number is the run's own: "the filesystem gained X" (statfs free space after minus before)
// counts whatever else wrote to the filesystem meanwhile, so it may differ from one run to the next.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildSample, runAction } from '../demo/sample.mjs'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SHOWN_ROOT = '/srv/mt5-crs'
/** The page's width in CSS pixels, and the picture's width in pixels. */
const WIDTH = 940
const CONTENT = 900

/** A reason to stop, said in one line; thrown so that the temp dir is removed on the way out. */
class Fail extends Error {}
function fail(message) {
  throw new Fail(message)
}

function args(argv) {
  const o = { bundle: path.join(repo, 'dist', 'index.js'), out: path.join(repo, 'docs') }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if ((a === '--bundle' || a === '--out') && argv[i + 1]) o[a.slice(2)] = path.resolve(argv[++i])
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/docs-screenshot.mjs [--bundle dist/index.js] [--out docs/]')
      process.exit(0)
    } else fail(`unknown argument ${a} (usage: node scripts/docs-screenshot.mjs [--bundle PATH] [--out DIR])`)
  }
  return o
}

function findBrowser() {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)
  const exe = (p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK)
      return fs.statSync(p).isFile()
    } catch {
      return false
    }
  }
  if (process.env.CHROMIUM) {
    const c = process.env.CHROMIUM
    if (c.includes('/') ? exe(c) : dirs.some((d) => exe(path.join(d, c)))) return c
    fail(`$CHROMIUM (${c}) is not an executable; install Chromium (Debian/Ubuntu: apt-get install chromium) or unset CHROMIUM`)
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    for (const d of dirs) if (exe(path.join(d, name))) return path.join(d, name)
  }
  return null
}

/** The sample's temp paths, as the runs show them (the root resolved too), shown as SHOWN_ROOT. */
function stablePaths(text, root) {
  for (const p of new Set([fs.realpathSync(root), root])) text = text.split(p).join(SHOWN_ROOT)
  return text
}

/**
 * GitHub shows ✅ and ❌ as color emoji; a machine without an emoji font (Debian's chromium brings
 * none) would draw empty boxes. Both are drawn as small inline SVGs instead, on every machine, so
 * the picture does not depend on the fonts installed.
 */
const EMOJI = {
  '✅': '<svg class="emoji" viewBox="0 0 16 16" aria-label="✅"><rect width="16" height="16" rx="3" fill="#2da44e"/><path d="M4 8.4l2.6 2.6L12.2 5.2" stroke="#fff" stroke-width="2.2" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  '❌': '<svg class="emoji" viewBox="0 0 16 16" aria-label="❌"><path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="#e5534b" stroke-width="2.8" stroke-linecap="round"/></svg>'
}

/** The job summary in a standalone page styled like GitHub's rendering of it; inline CSS only. */
function page(summary) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>safe-purge job summary</title>
<style>
html, body { margin: 0; background: #ffffff; }
body { padding: 20px; color: #1f2328; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"; font-size: 14px; line-height: 1.5; }
.box { box-sizing: border-box; width: ${CONTENT}px; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 24px 8px; overflow-wrap: anywhere; }
h2, h3 { font-weight: 600; line-height: 1.25; margin: 24px 0 16px; }
h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d0d7de; margin-top: 16px; }
h3 { font-size: 1.25em; }
p, ul, table { margin: 0 0 16px; }
ul { padding-left: 2em; }
table { border-collapse: collapse; border-spacing: 0; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { padding: 6px 13px; border: 1px solid #d0d7de; }
th { font-weight: 600; text-align: left; }
tr { background: #ffffff; border-top: 1px solid #d8dee4; }
tr:nth-child(2n) { background: #f6f8fa; }
.emoji { width: 1.15em; height: 1.15em; vertical-align: -0.2em; }
code { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 85%; padding: .2em .4em; margin: 0; background: rgba(175, 184, 194, .2); border-radius: 6px; white-space: break-spaces; }
</style></head>
<body><div class="box">
${summary.replace(/✅|❌/g, (e) => EMOJI[e])}
</div>
<script>document.documentElement.setAttribute('data-height', String(Math.ceil(document.documentElement.getBoundingClientRect().height)))</script>
</body></html>
`
}

function chromium(browser, profile, extra, url) {
  const r = spawnSync(browser, [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--no-default-browser-check',
    // A container's /dev/shm is often 64 MB, too small for Chromium: it then crashes mid-render.
    '--disable-extensions', '--disable-dev-shm-usage', '--mute-audio', '--force-device-scale-factor=1', `--user-data-dir=${profile}`, ...extra, url
  ], { encoding: 'utf8', timeout: 30_000 })
  if (r.error || r.status !== 0) fail(`${browser} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`)
  return r.stdout
}

function main() {
  const o = args(process.argv.slice(2))
  const cli = path.join(path.dirname(o.bundle), 'cli', 'index.js')
  for (const f of [o.bundle, cli]) if (!fs.existsSync(f)) fail(`${f} does not exist: run npm run build first (or npm run docs:screenshot)`)
  const browser = findBrowser()
  if (!browser) fail('no Chromium found (looked for $CHROMIUM, chromium, chromium-browser, google-chrome, google-chrome-stable); install it, e.g. on Debian/Ubuntu: apt-get install chromium')

  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-purge-shot-'))
  try {
    const root = path.join(base, 'srv', 'mt5-crs')
    fs.mkdirSync(path.dirname(root), { recursive: true })

    // The job summary of a real run of the action.
    buildSample(root)
    const work = path.join(base, 'runner')
    const run = runAction({ bundle: o.bundle, root, work, inputs: { force: 'true', docker: 'off' } })
    if (run.status !== 0 || !run.summary.trim()) fail(`the action failed (exit ${run.status}):\n${run.stdout}${run.stderr}`)
    const summary = stablePaths(run.summary, root)
    if (summary.includes(base)) fail(`a temp path is left in the summary: ${base}`)

    // The CLI's console on a fresh copy: a dry run, then the real run. stdout and stderr share one
    // file, so warnings stay where they were printed.
    fs.rmSync(root, { recursive: true, force: true })
    buildSample(root)
    const console_ = []
    for (const flags of [['--dry-run', '--list'], ['--force']]) {
      const log = path.join(base, `cli${flags[0]}.txt`)
      const fd = fs.openSync(log, 'w')
      const r = spawnSync(process.execPath, [cli, '--root', root, '--docker', 'off', ...flags], { stdio: ['ignore', fd, fd], cwd: base, env: { ...process.env, NO_COLOR: '1' } })
      fs.closeSync(fd)
      const text = fs.readFileSync(log, 'utf8')
      if (r.error || r.status !== 0) fail(`the CLI failed (${r.error?.message ?? `exit ${r.status}`}):\n${text}`)
      console_.push(`$ safe-purge --root ${SHOWN_ROOT} --docker off ${flags.join(' ')}\n${text.replace(/\n*$/, '\n')}`)
    }
    const consoleText = stablePaths(console_.join('\n'), root)
    if (consoleText.includes(base)) fail(`a temp path is left in the console sample: ${base}`)

    // Render: a first pass finds the page's height, the second takes the picture at that size.
    const html = path.join(base, 'summary.html')
    fs.writeFileSync(html, page(summary))
    const profile = path.join(base, 'chromium-profile')
    const url = pathToFileURL(html).href
    const dom = chromium(browser, profile, [`--window-size=${WIDTH},800`, '--dump-dom'], url)
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1])
    if (!(height > 0)) fail(`could not read the page's height from ${browser} --dump-dom`)
    fs.mkdirSync(o.out, { recursive: true })
    const png = path.join(o.out, 'summary.png')
    const shot = path.join(base, 'summary.png')
    chromium(browser, profile, [`--window-size=${WIDTH},${height}`, `--screenshot=${shot}`], url)
    if (!fs.existsSync(shot)) fail(`${browser} wrote no screenshot`)
    fs.copyFileSync(shot, png)
    const txt = path.join(o.out, 'console-sample.txt')
    fs.writeFileSync(txt, consoleText)

    const shown = (f) => (path.relative(process.cwd(), f).startsWith('..') ? f : path.relative(process.cwd(), f))
    console.log(`wrote ${shown(png)} (${WIDTH}x${height}, ${(fs.statSync(png).size / 1024).toFixed(1)} KiB): the job summary of a real run on the sample at ${SHOWN_ROOT}`)
    console.log(`wrote ${shown(txt)} (${consoleText.split('\n').length - 1} lines): the CLI's console, a dry run then a real run`)
  } finally {
    fs.rmSync(base, { recursive: true, force: true })
  }
}

try {
  main()
} catch (e) {
  if (!(e instanceof Fail)) throw e
  console.error(`docs-screenshot: ${e.message}`)
  process.exitCode = 1
}
