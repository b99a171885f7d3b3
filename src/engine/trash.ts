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
import { bootId } from './privileged.js'
import { TRASH_DIR } from './policy.js'
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
  /** Trashes left by earlier runs: deleted first (a dry run only lists them in leftoverRuns). */
  leftovers: TrashReport[]
  leftoverRuns: string[]
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

/** True when `rel` is the trash or inside it (never a target, never fingerprinted). */
export function inTrash(rel: string): boolean {
  return rel === TRASH_DIR || rel.startsWith(`${TRASH_DIR}/`)
}

/**
 * The trash directory, opened without following a link and checked to be a directory on the
 * root's mount; created (0700) when `create`. Null when it does not exist (and is not created).
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
    throw err
  }
  if (!rootDir.sameMount(dir)) {
    dir.close()
    throw fail('ERR_TRASH', `${TRASH_DIR} is a mount point: a move into it would cross filesystems; unmount it`)
  }
  return dir
}

/** Creates the run's directory (0700) and writes its manifest, before anything is moved into it. */
export function createRun(trash: Anchor, manifest: TrashManifest): Anchor {
  const name = Buffer.from(manifest.run)
  fs.mkdirSync(trash.child(name), 0o700)
  const dir = trash.openChild(name)
  writeNew(dir, MANIFEST, JSON.stringify(manifest))
  return dir
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
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[0] === 'Z' || fields[0] === 'X' ? null : (fields[19] ?? null)
  } catch {
    return null
  }
}

export function workerOf(runDir: Anchor): TrashWorker | null {
  const w = readJson(runDir, WORKER) as TrashWorker | null
  return w !== null && typeof w.pid === 'number' ? w : null
}

/** Whether the process that claimed a trash still runs (here: another host's claim counts as alive). */
export function workerAlive(w: TrashWorker): boolean {
  if (w.host !== os.hostname()) return true
  if (w.boot !== null && bootId() !== null && w.boot !== bootId()) return false
  try {
    process.kill(w.pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const start = processStart(w.pid)
  return start !== null && (w.start === null || start === w.start)
}

/**
 * Claims the run's trash for this process: 'claimed', or 'busy' when a live process holds it. A
 * stale claim (its process is gone) is replaced.
 */
export function claimRun(runDir: Anchor, role: string): 'claimed' | 'busy' {
  const me: TrashWorker = { pid: process.pid, start: processStart(process.pid), boot: bootId(), host: os.hostname(), since: new Date().toISOString(), role }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeNew(runDir, WORKER, JSON.stringify(me))
      return 'claimed'
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const held = workerOf(runDir)
    if (held !== null && (held.pid === process.pid || workerAlive(held))) return held.pid === process.pid ? 'claimed' : 'busy'
    try {
      fs.unlinkSync(runDir.child(WORKER))
    } catch {
      // gone already
    }
  }
  return 'busy'
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

export const TRASH_FILES = { MANIFEST, WORKER } as const

/** Creates `name` in `dir` (never through a link, never over an existing file) with `text`. */
function writeNew(dir: Anchor, name: Name, text: string): void {
  const fd = fs.openSync(dir.child(name), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600)
  try {
    fs.writeFileSync(fd, text)
  } finally {
    fs.closeSync(fd)
  }
}

function readJson(dir: Anchor, name: Name): unknown {
  try {
    const fd = fs.openSync(dir.child(name), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
    try {
      return JSON.parse(fs.readFileSync(fd, 'utf8')) as unknown
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return null
  }
}
