/**
 * The trash of strategy `move`: `.safe-purge-trash/` in the root, one directory per run
 * (`<run id>/`), holding the targets that run moved aside (renamed `0`, `1`, …) and a manifest
 * written before the first move that maps each name to the target's original path, so that the
 * trash purge judges every entry under the path it had (trash/<run>/0/x is logs/x) and a trash
 * left by a killed run can still be purged safely by the next one.
 *
 * Who deletes a run's trash claims it first (`worker.json`, created exclusively): the action's
 * post step, the CLI's background process, or a run with `trash: now`. A claim whose process is
 * gone (same boot, pid no longer alive or another process's) is stale. `<run id>.json` next to the
 * run directories is the report of its deletion, for `--status`.
 *
 * This module lays the trash out and reads it; the executor (execute-trash.ts) moves, deletes and
 * restores.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import type { Anchor, Name, NodeId } from '../fs/anchor.js'
import { fail } from '../common/errors.js'
import { bootId } from '../common/boot.js'
import { TRASH_DIR } from './policy.js'
import { createComplete, readHeld, unlinkIfSame } from './held-file.js'
import type { Strategy, TrashTiming } from '../common/options.js'

export { TRASH_DIR }
const TRASH = Buffer.from(TRASH_DIR)
const MANIFEST = 'manifest.json'
const WORKER = 'worker.json'
/** A run id: its creation time, pid and a random suffix (sorts by time). */
const RUN_RE = /^\d{8}T\d{6}Z-\d+-[0-9a-f]{6}$/
/** How many reports of finished trash deletions are kept for --status. */
export const REPORTS_KEPT = 5

export interface TrashManifest {
  tool: 'safe-purge-trash'
  version: 1
  run: string
  createdAt: string
  host: string
  /** The root the run guarded: a trash moved to another root is not purged under this one's paths. */
  root: NodeId
  /** Each moved entry's name in the run directory and its original root-relative path. */
  targets: { name: string; path: string }[]
  /** The run's extra protected patterns and exact protected files: the trash purge protects them too. */
  protected: string[]
  exact: string[]
}

export interface TrashWorker {
  pid: number
  /** The process's start time (/proc/<pid>/stat, clock ticks since boot): a reused pid is not it. */
  start: string | null
  boot: string | null
  host: string
  since: string
  /** Why it deletes this trash: post (the action's post step), background (the CLI), now, leftover. */
  role: string
  /** The GitHub job (run id, attempt, job) it belongs to; '' outside Actions. */
  job: string
}

/** The report of one trash deletion (JSON: the trash's `<run>.json`, the report's `trash` section, the post step's `report`). */
export interface TrashReport {
  tool: 'safe-purge'
  version: string
  kind: 'trash'
  run: string
  /** post | background | now | leftover */
  role: string
  ok: boolean
  /** The run's trash directory is gone: everything in it was deleted. */
  done: boolean
  startedAt: string
  finishedAt: string
  durationMs: number
  targets: { path: string; files: number; bytes: number; dirs: number; others: number; errors: number }[]
  totals: { files: number; bytes: number; dirs: number; others: number }
  space: { freedBytes: number; reclaimedBytes: number | null }
  restored: { path: string; reason: string }[]
  left: { path: string; reason: string }[]
  errors: { path: string; code: string; message: string }[]
  failures: string[]
  cancelled: boolean
}

/** What strategy move did, and the trash: for the report. */
export interface TrashInfo {
  strategy: Strategy
  timing: TrashTiming
  /** This run's trash (a run id), when it moved something. */
  run: string | null
  /** Targets moved into the trash whole (in a dry run: those that would be). */
  moved: string[]
  /** Targets purged in place although the strategy is move, and why. */
  inPlace: { path: string; why: string }[]
  /** This run's trash was handed to its later deletion (the post step, the CLI's background process). */
  handedOff: boolean
  /** Trashes left by earlier runs: deleted first (a dry run only lists them in leftoverRuns). */
  leftovers: TrashReport[]
  leftoverRuns: string[]
  /** Trashes set aside as `<run>.kept`: what their deletion could not remove or put back. */
  kept: string[]
  /** The deletion of this run's trash, with trash: now. */
  purge: TrashReport | null
}

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `${stamp}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`
}

export function isRunId(name: string): boolean {
  return RUN_RE.test(name)
}

/**
 * The trash directory, opened without following a link and checked to be a directory on the
 * root's mount, this user's own and writable by nobody else (what it holds is renamed back into
 * the root); created (0700) when `create`. Null when it does not exist (and is not created).
 */
export function openTrash(rootDir: Anchor, create: boolean): Anchor | null {
  if (create) {
    try {
      fs.mkdirSync(rootDir.child(TRASH), 0o700)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
  let dir: Anchor
  try {
    dir = rootDir.openChild(TRASH)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    if (code === 'ENOTDIR' || code === 'ELOOP') throw fail('ERR_TRASH', `${TRASH_DIR} in the root is a link or not a directory: remove it (safe-purge's trash is a directory of its own)`)
    throw fail('ERR_TRASH', `${TRASH_DIR} in the root cannot be opened (${code}): remove it, or run as its owner`)
  }
  try {
    if (!rootDir.sameMount(dir)) throw fail('ERR_TRASH', `${TRASH_DIR} is a mount point: a move into it would cross filesystems; unmount it`)
    refuseForeign(dir, TRASH_DIR)
    return dir
  } catch (err) {
    dir.close()
    throw err
  }
}

/** A trash directory (or a run's) that another user owns or may write into is never trusted. */
export function refuseForeign(dir: Anchor, shown: string): void {
  const st = fs.fstatSync(dir.fd)
  const me = process.geteuid?.() ?? st.uid
  if (st.uid !== me || (st.mode & 0o022) !== 0) {
    throw fail('ERR_TRASH', `${shown} is owned by uid ${st.uid} with mode ${(st.mode & 0o7777).toString(8)}, not this user's (uid ${me}) alone: what it holds cannot be trusted back into the root; check it and remove it by hand`)
  }
}

/** Creates the run's directory (0700) and writes its manifest, before anything is moved into it. */
export function createRun(trash: Anchor, manifest: TrashManifest): Anchor {
  const name = Buffer.from(manifest.run)
  fs.mkdirSync(trash.child(name), 0o700)
  let dir: Anchor | null = null
  try {
    dir = trash.openChild(name)
    writeNew(dir, MANIFEST, JSON.stringify(manifest))
    return dir
  } catch (err) {
    // Nothing was moved yet: no trash is left without its manifest.
    try {
      if (dir !== null) fs.unlinkSync(dir.child(Buffer.from(MANIFEST)))
    } catch {
      // not written
    }
    dir?.close()
    try {
      fs.rmdirSync(trash.child(name))
    } catch {
      // the next run finds it
    }
    throw err
  }
}

export function readManifest(runDir: Anchor): TrashManifest | null {
  const m = readJson(runDir, MANIFEST) as TrashManifest | null
  if (m === null || m.tool !== 'safe-purge-trash' || !Array.isArray(m.targets)) return null
  const ok = m.targets.every((t) => typeof t?.name === 'string' && /^\d+$/.test(t.name) && typeof t.path === 'string' && t.path !== '' && !t.path.startsWith('/') && !t.path.split('/').includes('..'))
  return ok && Array.isArray(m.protected) && Array.isArray(m.exact) ? m : null
}

/** The run directories in the trash, oldest first. */
export function listRuns(trash: Anchor): string[] {
  const names: string[] = []
  for (const d of fs.readdirSync(trash.listPath(), { withFileTypes: true })) {
    if (d.isDirectory() && isRunId(d.name)) names.push(d.name)
  }
  return names.sort()
}

/** A process's start time (clock ticks after boot), or null when it is gone or a zombie (it runs no more). */
export function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[0] === 'Z' || fields[0] === 'X' ? null : (fields[19] ?? null)
  } catch {
    return null
  }
}

/** The GitHub job this process runs in ('' outside Actions): a post step belongs to its job. */
export function jobKey(env: NodeJS.ProcessEnv): string {
  return env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}/${env.GITHUB_RUN_ATTEMPT ?? ''}/${env.GITHUB_JOB ?? ''}` : ''
}

/** A claim for process `pid` (this one by default) in role `role`. */
export function claimFor(role: string, env: NodeJS.ProcessEnv, pid = process.pid): TrashWorker {
  return { pid, start: processStart(pid), boot: bootId(), host: os.hostname(), since: new Date().toISOString(), role, job: jobKey(env) }
}

function readClaim(runDir: Anchor): { w: TrashWorker; ino: number; text: string } | 'missing' | 'unreadable' {
  const held = readHeld(runDir, WORKER)
  if (typeof held === 'string') return held
  try {
    const w = JSON.parse(held.text) as TrashWorker
    return typeof w.pid === 'number' && typeof w.role === 'string' ? { w, ino: held.ino, text: held.text } : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

export function workerOf(runDir: Anchor): TrashWorker | null {
  const c = readClaim(runDir)
  return typeof c === 'string' ? null : c.w
}

/**
 * Whether a claim still stands: a trash handed to the post step of a job stands for the runs of
 * that same job (the post step deletes it at the job's end); every claim while its process runs
 * (same boot, same pid and start time: a reused pid is not it), a post step deleting included.
 */
export function workerAlive(w: TrashWorker, env: NodeJS.ProcessEnv = process.env): boolean {
  // A main step's hand-off to its post step stands for its own job; any claim, while its process runs.
  if (w.role === 'post' && w.job !== '' && w.job === jobKey(env)) return true
  if (w.boot !== null && bootId() !== null && w.boot !== bootId()) return false
  const start = processStart(w.pid)
  return start !== null && (w.start === null || start === w.start)
}

/**
 * Claims the run's trash for `me`: 'claimed', or 'busy' when a claim that stands holds it. A stale
 * claim (its process gone, or a post step's from another job) is replaced, only while it is
 * still the very file that was read; a claim handed to this process (its pid, or the post step
 * of this job) is taken over.
 */
export function claimRun(runDir: Anchor, me: TrashWorker): 'claimed' | 'busy' {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createComplete(runDir, WORKER, JSON.stringify(me))) return 'claimed'
    const held = readClaim(runDir)
    if (held === 'missing') continue
    if (held === 'unreadable') {
      // Claims are written whole: one that cannot be read was damaged; after a minute it is stale.
      if (!staleUnreadable(runDir)) return 'busy'
      continue
    }
    const w = held.w
    if (w.pid === me.pid && (w.start === null || w.start === me.start)) return 'claimed'
    // The main step's hand-off (its process gone) is this job's post step's to take over.
    const handedToMe = w.role === 'post' && me.role === 'post' && w.job === me.job && processStart(w.pid) !== w.start
    if (!handedToMe && workerAlive(w)) return 'busy'
    unlinkIfSame(runDir, WORKER, held.ino, held.text)
  }
  return 'busy'
}

/** An unreadable claim older than a minute is removed (true); a younger one stands. */
function staleUnreadable(runDir: Anchor): boolean {
  try {
    const st = fs.lstatSync(runDir.child(Buffer.from(WORKER)))
    if (Date.now() - st.mtimeMs < 60_000) return false
    unlinkIfSame(runDir, WORKER, st.ino)
    return true
  } catch {
    return true
  }
}

/** Hands this run's trash to the process that will delete it (the post step, a background process). */
export function handOff(rootDir: Anchor, run: string, to: TrashWorker): void {
  const trash = openTrash(rootDir, false)
  if (trash === null) return
  try {
    const dir = trash.openChild(Buffer.from(run))
    try {
      createComplete(dir, WORKER, JSON.stringify(to))
    } finally {
      dir.close()
    }
  } finally {
    trash.close()
  }
}

/** Run directories renamed `<run>.kept`: what their deletion could not remove or put back, kept for a person to check. */
export function keptRuns(trash: Anchor): string[] {
  return fs.readdirSync(trash.listPath()).filter((n) => n.endsWith('.kept') && isRunId(n.slice(0, -5))).sort()
}

/** The report of a finished trash deletion, next to the run directories (the newest REPORTS_KEPT stay). */
export function writeResult(trash: Anchor, run: string, result: unknown): void {
  const name = `${run}.json`
  const tmp = `${name}.${process.pid}.${crypto.randomBytes(3).toString('hex')}.tmp`
  writeNew(trash, tmp, JSON.stringify(result, null, 2))
  fs.renameSync(trash.child(tmp), trash.child(name))
}

/** Reports of finished trash deletions, oldest first. */
export function readResults(trash: Anchor): { run: string; result: unknown }[] {
  const out: { run: string; result: unknown }[] = []
  for (const name of fs.readdirSync(trash.listPath()).sort()) {
    const m = /^(.+)\.json$/.exec(name)
    if (!m || !isRunId(m[1])) continue
    const r = readJson(trash, name)
    if (r !== null) out.push({ run: m[1], result: r })
  }
  return out
}

/** Names of reports beyond the newest REPORTS_KEPT (the executor removes them). */
export function oldResults(trash: Anchor): string[] {
  const names = readResults(trash).map((r) => `${r.run}.json`)
  return names.slice(0, Math.max(0, names.length - REPORTS_KEPT))
}

/** A file of the run's own (its manifest, its claim, a claim being written): never a moved target. */
export function isRunFile(name: string): boolean {
  return name === MANIFEST || name === WORKER || name.startsWith(`${WORKER}.`)
}

/** Creates `name` in `dir` (never through a link, never over an existing file) with `text`. */
export function writeNew(dir: Anchor, name: Name, text: string): void {
  const fd = fs.openSync(dir.child(name), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600)
  try {
    fs.writeFileSync(fd, text)
  } finally {
    fs.closeSync(fd)
  }
}

function readJson(dir: Anchor, name: string): unknown {
  const held = readHeld(dir, name)
  if (typeof held === 'string') return null
  try {
    return JSON.parse(held.text) as unknown
  } catch {
    return null
  }
}
