/** Real directory trees in temp dirs, and byte-for-byte snapshots of what must survive. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'

/** A tree spec: path -> file content (string), or null for an empty directory, or { link } for a symlink. */
export type TreeSpec = Record<string, string | null | { link: string }>

export function tempDir(prefix = 'sp-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
}

export function makeTree(root: string, spec: TreeSpec): void {
  for (const [rel, value] of Object.entries(spec)) {
    const p = path.join(root, rel)
    if (value === null) {
      fs.mkdirSync(p, { recursive: true })
    } else if (typeof value === 'string') {
      fs.mkdirSync(path.dirname(p), { recursive: true })
      fs.writeFileSync(p, value)
    } else {
      fs.mkdirSync(path.dirname(p), { recursive: true })
      fs.symlinkSync(value.link, p)
    }
  }
}

/** The MT5-like sample environment of the seed (and the README demo). */
export const MT5_TREE: TreeSpec = {
  'models/baseline_v1.json': '{"weights":[0.1,0.2,0.3]}\n',
  'models/lstm/epoch_12.bin': 'binary-model-bytes',
  'config/strategies.yaml': 'strategy: mean_reversion\n',
  '.env': 'API_KEY=secret\n',
  '.env.example': 'API_KEY=\n',
  '.gitignore': 'logs/\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.git/objects/ab/cdef': 'object',
  'src/main/runner.py': 'print("run")\n',
  'scripts/audit_current_task.py': 'print("audit")\n',
  'docs/README.md': '# docs\n',
  'requirements.txt': 'numpy\n',
  'README.md': '# app\n',
  'logs/trading.log': 'tick\n'.repeat(100),
  'logs/errors.log': 'oops\n',
  'logs/archive/2026-01-01.log': 'old\n'.repeat(50),
  'data/redis/dump.rdb': 'REDIS0009',
  'data/temp/cache.pkl': 'pickle',
  'data/resources/prices.csv': 'a,b\n1,2\n',
  '.docker-compose-state': 'state'
}

export interface Snap {
  type: string
  hash?: string
  link?: string
  mode: number
  ino: number
}

/** Everything under `dir` (not following links): type, content hash, link target, mode, inode. */
export function snapshot(dir: string): Map<string, Snap> {
  const out = new Map<string, Snap>()
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel)
    for (const name of fs.readdirSync(abs)) {
      const r = rel ? `${rel}/${name}` : name
      const st = fs.lstatSync(path.join(dir, r))
      if (st.isSymbolicLink()) out.set(r, { type: 'link', link: fs.readlinkSync(path.join(dir, r)), mode: st.mode, ino: st.ino })
      else if (st.isDirectory()) {
        out.set(r, { type: 'dir', mode: st.mode, ino: st.ino })
        walk(r)
      } else if (st.isFile()) {
        out.set(r, { type: 'file', hash: crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, r))).digest('hex'), mode: st.mode, ino: st.ino })
      } else out.set(r, { type: 'special', mode: st.mode, ino: st.ino })
    }
  }
  walk('')
  return out
}

/** Entries of `before` whose path matches `keep` must be byte-identical in `after`; returns the differences. */
export function survivors(before: Map<string, Snap>, after: Map<string, Snap>, keep: (rel: string) => boolean): string[] {
  const problems: string[] = []
  for (const [rel, b] of before) {
    if (!keep(rel)) continue
    const a = after.get(rel)
    if (!a) problems.push(`${rel}: missing`)
    else if (a.type !== b.type || a.hash !== b.hash || a.link !== b.link || a.ino !== b.ino) problems.push(`${rel}: changed`)
  }
  return problems
}

export function exists(p: string): boolean {
  try {
    fs.lstatSync(p)
    return true
  } catch {
    return false
  }
}

/** Sleeps without returning to the event loop (executor hooks are synchronous). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Makes the FIFO `fifo` with a process blocked opening its other end (`partner` says which): an
 * open of the FIFO by anyone else completes that open, and the process then creates `marker`.
 * Resolves once the process waits in the kernel's FIFO open (wchan `wait_for_partner`), so the
 * FIFO can be removed from under it without the process ever creating a file in its place.
 */
export async function fifoWithPartner(fifo: string, partner: 'reader' | 'writer', marker: string): Promise<ChildProcess> {
  execFileSync('mkfifo', [fifo])
  const open = partner === 'reader' ? 'exec 3<"$1"' : 'exec 3>"$1"'
  const child = spawn('sh', ['-c', `${open} && : > "$2"`, 'sh', fifo, marker], { stdio: 'ignore' })
  for (const end = Date.now() + 10000; ; ) {
    let wchan = ''
    try {
      wchan = fs.readFileSync(`/proc/${child.pid}/wchan`, 'utf8')
    } catch {
      // not started yet
    }
    if (wchan === 'wait_for_partner') return child
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL')
      throw new Error(`the ${partner} of ${fifo} never waited in open() (wchan: ${wchan || 'unreadable'})`)
    }
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Ends a helper process and waits until it is gone. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const gone = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await gone
}

/**
 * Bind-mounts `src` on the empty directory `dst` (root only); `readOnly` is checked in mountinfo
 * before it returns. Mount points are made outside the test's temp tree, and removed with rmdir,
 * never recursively: a mount left behind then fails the cleanup instead of being emptied.
 */
export function bindMount(src: string, dst: string, readOnly = false): void {
  execFileSync('mount', ['--bind', ...(readOnly ? ['-o', 'ro'] : []), src, dst])
  if (!readOnly) return
  const line = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === dst)
  if (!line?.split(' ')[5].split(',').includes('ro')) {
    execFileSync('umount', [dst])
    throw new Error(`${dst} did not mount read-only: ${line}`)
  }
}

export function unmountAndRemove(dst: string): void {
  spawnSync('umount', [dst])
  fs.rmdirSync(dst)
}

/** A fresh temp dir holding `env/` with the MT5-like tree plus `extra`; remove `base` after the test. */
export function makeEnv(extra: TreeSpec = {}): { base: string; root: string } {
  const base = tempDir()
  const root = path.join(base, 'env')
  fs.mkdirSync(root)
  makeTree(root, { ...MT5_TREE, ...extra })
  return { base, root }
}

/** The default targets (the MT5 tree's ephemeral paths) and the trash of strategy move. */
export const MT5_TARGETS: readonly string[] = ['logs', 'data/redis', 'data/temp', '.docker-compose-state']
export const TRASH = '.safe-purge-trash'

/** A path a purge of the default targets may change: a target, something in one, or the trash. */
export function purgeable(rel: string): boolean {
  return [...MT5_TARGETS, TRASH].some((t) => rel === t || rel.startsWith(`${t}/`))
}

/** The run directories in `root`'s trash (kept ones included), not the reports next to them. */
export function trashRuns(root: string): string[] {
  const dir = path.join(root, TRASH)
  return exists(dir) ? fs.readdirSync(dir).filter((n) => !n.endsWith('.json')) : []
}
