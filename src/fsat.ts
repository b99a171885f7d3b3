/**
 * Directory-anchored filesystem access.
 *
 * Node has no openat/unlinkat/fstatat/fchdir. What it has: the working directory. Operations use
 * single-component names relative to the working directory, which is an inode reference, not a
 * path: renaming or replacing the directory's path does not redirect them, and lstat/unlink/rmdir
 * never follow the final component. Directories are opened with O_NOFOLLOW.
 *
 * Entering a directory: on Linux, chdir("/proc/self/fd/N") lands exactly in the directory fd N
 * has open (a magic link, like fchdir), whatever happened to its path meanwhile. Elsewhere (the
 * fallback) it is tmpwatch's way: chdir by path, and directories are re-checked after descending.
 * Both then prove with stat('.') that the working directory is the device+inode that was opened.
 * Relative lookups are also much cheaper than lookups through /proc/self/fd/N/name (measured here:
 * 3.6 us against 8.6 us per lstat). See SECURITY.md for what remains in the fallback.
 *
 * Mounts: a bind mount of the same filesystem has the same st_dev, so directories are compared
 * by mount ID (mnt_id in /proc/self/fdinfo) as well; the fallback can only compare st_dev.
 * Names are Buffers so that file names that are not valid UTF-8 can still be removed.
 */
import fs from 'node:fs'
import { isUtf8 } from 'node:buffer'
import { fail } from './errors.js'
import { errnoError, META, native, nativeStatus, type NativeHelper } from './native.js'

const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW
const SLASH = Buffer.from('/')
const DOT = Buffer.from('.')

export type AnchorMode = 'proc' | 'recheck'

/** An entry name: a string when its bytes are valid UTF-8 (they round-trip exactly), else the bytes. */
export type Name = Buffer | string

function nameBytes(name: Name): Buffer {
  return typeof name === 'string' ? Buffer.from(name) : name
}

const PROC_SUPER_MAGIC = 0x9fa0

/** /proc/self/fd on a real procfs: a directory of that name on another filesystem could redirect every unlink. */
function procAvailable(): boolean {
  try {
    if (!fs.statSync('/proc/self/fd').isDirectory()) return false
    return process.platform !== 'linux' || fs.statfsSync('/proc/self/fd').type === PROC_SUPER_MAGIC
  } catch {
    return false
  }
}

// On Linux, /proc is required (a Linux without it is refused by the engine): the fallback is for
// other platforms, and for tests that force it.
let mode: AnchorMode = procAvailable() || process.platform === 'linux' ? 'proc' : 'recheck'

/** The native helper, used only with /proc anchoring (the fallback is what other platforms run). */
export function fastPath(): NativeHelper | null {
  return mode === 'proc' ? native() : null
}

/** How directories are walked, for the report: 'native', or why the JavaScript path is used. */
export function walkerStatus(): string {
  return mode === 'proc' ? nativeStatus() : 'off (path-based fallback anchoring)'
}

export function procRequiredButMissing(): boolean {
  return mode === 'proc' && !procAvailable()
}

/** Which strategy is in use; `setAnchorMode('recheck')` forces the fallback (tests run it on Linux). */
export function anchorMode(): AnchorMode {
  return mode
}

export function setAnchorMode(m: AnchorMode): void {
  if (m === 'proc' && !procAvailable()) throw fail('ERR_PLATFORM', '/proc/self/fd is not available on this system')
  leaveCwd()
  mode = m
}

// ---- fallback: the working directory as the anchor -------------------------------------------

let cwdAnchor: Anchor | null = null
let originalCwd: string | null = null

function enter(dir: Anchor): void {
  if (cwdAnchor === dir) return
  originalCwd ??= process.cwd()
  cwdAnchor = null
  // EACCES (no search permission) and the like are reported as they are.
  process.chdir(mode === 'proc' ? `/proc/self/fd/${dir.fd}` : dir.path.toString('utf8'))
  if (!sameNode(fs.statSync('.'), dir)) throw changed(dir.path)
  cwdAnchor = dir
}

/** Goes back to the directory the process started in (after a walk). */
export function leaveCwd(): void {
  cwdAnchor = null
  if (originalCwd !== null) {
    process.chdir(originalCwd)
    originalCwd = null
  }
}

function mountIdOf(fd: number): number | null {
  if (mode !== 'proc') return null
  try {
    const m = /^mnt_id:\s*(\d+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

export interface NodeId {
  dev: number
  ino: number
}

export function sameNode(a: NodeId, b: NodeId): boolean {
  return a.dev === b.dev && a.ino === b.ino
}

function changed(path: Buffer): Error {
  return fail('ECHANGED', `directory ${path.toString('utf8')} was replaced while it was being purged`)
}

/** An open directory: its fd, the path it was opened by, its device+inode and mount ID. */
export class Anchor implements NodeId {
  private constructor(
    readonly fd: number,
    readonly path: Buffer,
    readonly dev: number,
    readonly ino: number,
    /** Mount ID (Linux); null where it cannot be read. */
    readonly mountId: number | null,
    /** The directory's own st_size (how much there is to list). */
    readonly size: number
  ) {}

  private static fromFd(fd: number, path: Buffer): Anchor {
    const st = fs.fstatSync(fd)
    return new Anchor(fd, path, st.dev, st.ino, mountIdOf(fd), st.size)
  }

  /** True when `other` is on the same mount (a bind mount of the same filesystem is not). */
  sameMount(other: Anchor): boolean {
    return this.dev === other.dev && (this.mountId === null || other.mountId === null || this.mountId === other.mountId)
  }

  /** Opens an absolute directory path; its final component must not be a link. */
  static open(path: string): Anchor {
    return Anchor.fromFd(fs.openSync(path, O_DIR), Buffer.from(path))
  }

  /** The path through which `name` in this directory is reached. */
  child(name: Name): Name {
    enter(this)
    return name
  }

  /** The path to list this directory by. */
  listPath(): Buffer {
    enter(this)
    return DOT
  }

  /** Opens directory `name` here; fails (ENOTDIR/ELOOP) when it is a link or not a directory. */
  openChild(name: Name): Anchor {
    return Anchor.fromFd(fs.openSync(this.child(name), O_DIR), Buffer.concat([this.path, SLASH, nameBytes(name)]))
  }

  /** Fallback mode: proves the path still names this directory (throws ECHANGED). No-op with /proc. */
  recheck(): void {
    if (mode === 'proc') return
    let st: fs.Stats
    try {
      st = fs.lstatSync(this.path)
    } catch {
      throw changed(this.path)
    }
    if (!st.isDirectory() || !sameNode(st, this)) throw changed(this.path)
  }

  close(): void {
    if (cwdAnchor === this) cwdAnchor = null
    try {
      fs.closeSync(this.fd)
    } catch {
      // already closed: nothing to release
    }
  }
}

export function lstatAt(dir: Anchor, name: Name): fs.Stats {
  return fs.lstatSync(dir.child(name))
}

export function unlinkAt(dir: Anchor, name: Name): void {
  fs.unlinkSync(dir.child(name))
}

export function rmdirAt(dir: Anchor, name: Name): void {
  fs.rmdirSync(dir.child(name))
}

export function readlinkAt(dir: Anchor, name: Name): string {
  return fs.readlinkSync(dir.child(name), 'utf8')
}

/** Directories smaller than this (st_size, which grows with the entry count) are listed in one call. */
const BULK_LIST_MAX_BYTES = 1024 * 1024

/**
 * A directory's entries, with their d_type. A small directory is read in one call (fastest); a
 * huge one is streamed, so memory stays flat however many entries it holds.
 */
export function dirEntries(dir: Anchor): Iterable<fs.Dirent<Buffer>> {
  if (dir.size < BULK_LIST_MAX_BYTES) return fs.readdirSync(dir.listPath(), { encoding: 'buffer', withFileTypes: true })
  return streamEntries(dir)
}

function* streamEntries(dir: Anchor): Generator<fs.Dirent<Buffer>> {
  const stream = fs.opendirSync(dir.listPath(), { encoding: 'buffer' as BufferEncoding, bufferSize: 256 })
  try {
    for (let d = stream.readSync(); d !== null; d = stream.readSync()) yield d as unknown as fs.Dirent<Buffer>
  } finally {
    stream.closeSync()
  }
}

/**
 * Unlinks `name` in `dir` on the thread pool, so that several removals wait on a cold disk at
 * once. On Linux it goes through /proc/self/fd/N/name (the working directory cannot anchor
 * work done on other threads); the fallback unlinks synchronously, relative to the working
 * directory.
 */
export function unlinkAtAsync(dir: Anchor, name: Name): Promise<void> {
  if (mode !== 'proc') {
    try {
      unlinkAt(dir, name)
      return Promise.resolve()
    } catch (err) {
      return Promise.reject(err)
    }
  }
  const path = Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), nameBytes(name)])
  return new Promise((resolve, reject) => fs.unlink(path, (err) => (err ? reject(err) : resolve())))
}

/** What the walk needs of an entry's lstat. */
export interface EntryStat extends NodeId {
  size: number
}

/**
 * A directory entry with its lstat, as a walk sees it. One object per entry, no more: it is its
 * own `st`, and its root-relative path is only built when someone asks (most entries never need
 * it). `err` is set when the lstat failed (then kind is 'special' and the numbers are 0).
 */
export class StatEntry implements EntryStat {
  constructor(
    /** The open directory holding this entry. */
    readonly parent: Anchor,
    readonly name: Name,
    /** The name as text (invalid UTF-8 shown with replacement characters). */
    readonly text: string,
    /** The parent's root-relative path. */
    readonly dirRel: string,
    readonly kind: Kind,
    readonly size: number,
    readonly dev: number,
    readonly ino: number,
    readonly err: NodeJS.ErrnoException | null
  ) {}

  get rel(): string {
    return `${this.dirRel}/${this.text}`
  }

  get st(): EntryStat {
    return this
  }
}

/** Entries per batch on the JavaScript path (the native helper batches by getdents64 buffer). */
const JS_BATCH = 256

const ENOENT = 2

/**
 * A directory's entries, each lstat'ed relative to the directory, in batches. Entries that
 * vanished before their lstat are skipped. The native helper does the listing and the lstats in
 * C against the directory fd; otherwise it is readdir plus one lstat per entry. `dirRel` is the
 * directory's root-relative path.
 */
export async function* statBatches(dir: Anchor, dirRel: string): AsyncGenerator<StatEntry[]> {
  const h = fastPath()
  if (h === null) {
    let batch: StatEntry[] = []
    for (const d of dirEntries(dir)) {
      const text = d.name.toString('utf8')
      let st: fs.Stats
      try {
        st = lstatAt(dir, d.name)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
        batch.push(new StatEntry(dir, d.name, text, dirRel, 'special', 0, 0, 0, err as NodeJS.ErrnoException))
        continue
      }
      batch.push(new StatEntry(dir, d.name, text, dirRel, kindOf(st), st.size, st.dev, st.ino, null))
      if (batch.length >= JS_BATCH) {
        yield batch
        batch = []
      }
    }
    if (batch.length > 0) yield batch
    return
  }
  for (let first = true, eof = false; !eof; first = false) {
    const r = await h.scan(dir.fd, true, true, first)
    if (r === null) return
    if (typeof r === 'number') throw errnoError(r, 'getdents64', dir.path.toString('utf8'))
    const [names, meta] = r
    eof = r[2]
    const strs = decodeNames(names)
    const batch: StatEntry[] = []
    for (let i = 0, k = 0; i < meta.length; i += META, k++) {
      const name = strs ? strs[k] : names.subarray(meta[i], meta[i] + meta[i + 1])
      const text = strs ? strs[k] : name.toString('utf8')
      const errno = meta[i + 2]
      if (errno === ENOENT) continue
      if (errno !== 0) {
        batch.push(new StatEntry(dir, name, text, dirRel, 'special', 0, 0, 0, errnoError(errno, 'lstat', text)))
        continue
      }
      batch.push(new StatEntry(dir, name, text, dirRel, kindOfMode(meta[i + 3]), meta[i + 4], meta[i + 5], meta[i + 6], null))
    }
    if (batch.length > 0) yield batch
  }
}

/** A directory entry's name and its d_type (null when the filesystem does not say). */
export interface TypedEntry {
  name: Name
  kind: Kind | null
}

/** A directory's entries with their d_type, no lstat: through the native helper when loaded. */
export function* typedEntries(dir: Anchor): Generator<TypedEntry> {
  const h = fastPath()
  if (h === null) {
    for (const d of dirEntries(dir)) yield { name: d.name, kind: direntKind(d) }
    return
  }
  for (let first = true, eof = false; !eof; first = false) {
    const r = h.scan(dir.fd, false, false, first)
    if (r === null) return
    if (typeof r === 'number') throw errnoError(r, 'getdents64', dir.path.toString('utf8'))
    const [names, meta] = r
    eof = r[2]
    const strs = decodeNames(names)
    for (let i = 0, k = 0; i < meta.length; i += META, k++) {
      yield { name: strs ? strs[k] : names.subarray(meta[i], meta[i] + meta[i + 1]), kind: meta[i + 3] === 0 ? null : kindOfMode(meta[i + 3]) }
    }
  }
}

/** A scan's NUL-terminated names as strings, decoded at once; null when any is not valid UTF-8. */
function decodeNames(names: Buffer): string[] | null {
  return isUtf8(names) ? names.toString('utf8').split('\0') : null
}

const S_IFMT = 0o170000

function kindOfMode(mode: number): Kind {
  switch (mode & S_IFMT) {
    case 0o100000:
      return 'file'
    case 0o040000:
      return 'dir'
    case 0o120000:
      return 'symlink'
    default:
      return 'special'
  }
}

/**
 * Unlinks `names` (none of them a directory) in `dir` as one unlinkat batch on the thread pool,
 * relative to the directory fd, which the caller keeps open until the promise settles. Resolves to
 * one error (or null) per name. Only with the native helper (the walk batches only then).
 */
export async function unlinkBatchAt(dir: Anchor, names: Name[]): Promise<(NodeJS.ErrnoException | null)[]> {
  const h = fastPath()
  if (h === null) throw new Error('internal error: unlink batches need the native helper')
  const joined = names.every((n) => typeof n === 'string')
    ? Buffer.from(`${names.join('\0')}\0`)
    : Buffer.concat(names.flatMap((n) => [nameBytes(n), NUL]))
  const errs = await h.unlinkBatch(dir.fd, joined, true)
  return names.map((n, i) => (errs[i] === 0 ? null : errnoError(errs[i], 'unlink', n.toString('utf8'))))
}

const NUL = Buffer.alloc(1)

/** The entry's type from the directory itself (d_type), or null when the filesystem does not say. */
export function direntKind(d: fs.Dirent<Buffer>): Kind | null {
  if (d.isDirectory()) return 'dir'
  if (d.isSymbolicLink()) return 'symlink'
  if (d.isFile()) return 'file'
  if (d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice()) return 'special'
  return null
}

export type Kind = 'file' | 'dir' | 'symlink' | 'special'

export function kindOf(st: fs.Stats): Kind {
  if (st.isSymbolicLink()) return 'symlink'
  if (st.isDirectory()) return 'dir'
  if (st.isFile()) return 'file'
  return 'special'
}

/**
 * Opens the directory `name` in `parent` and proves it is the node `expected` describes
 * (a swap between lstat and open is caught here). Throws ECHANGED when it is not.
 */
export function openCheckedDir(parent: Anchor, name: Name, expected: NodeId): Anchor {
  const dir = parent.openChild(name)
  if (!sameNode(dir, expected)) {
    dir.close()
    throw fail('ECHANGED', 'directory was replaced between check and open')
  }
  return dir
}

export interface ResolvedTarget {
  /** The target's parent directory, open; the caller closes it. */
  parent: Anchor
  name: Name
  st: fs.Stats
  kind: Kind
}

export type TargetLookup =
  | { found: true; target: ResolvedTarget }
  | { found: false; missing: boolean; reason: string }

/**
 * Walks `rel` segment by segment from the root without following any link, so a parent that
 * is a symlink (e.g. `data -> /elsewhere` for `data/redis`) refuses the target instead of leaving root.
 */
export function lookupTarget(root: Anchor, rel: string): TargetLookup {
  const segments = rel.split('/')
  let dir = root
  const opened: Anchor[] = []
  try {
    for (let i = 0; i < segments.length - 1; i++) {
      try {
        dir = dir.openChild(Buffer.from(segments[i]))
        opened.push(dir)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'ENOENT') return { found: false, missing: true, reason: 'does not exist' }
        const parent = segments.slice(0, i + 1).join('/')
        if (code === 'ENOTDIR' || code === 'ELOOP') {
          return { found: false, missing: false, reason: `parent ${JSON.stringify(parent)} is a link or not a directory; links are never followed` }
        }
        return { found: false, missing: false, reason: `cannot open parent ${JSON.stringify(parent)}: ${code ?? err}` }
      }
    }
    const name = Buffer.from(segments[segments.length - 1])
    let st: fs.Stats
    try {
      st = lstatAt(dir, name)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return { found: false, missing: true, reason: 'does not exist' }
      return { found: false, missing: false, reason: `cannot inspect it: ${code ?? err}` }
    }
    const parent = opened.length > 0 ? (opened.pop() as Anchor) : root.openChild(Buffer.from('.'))
    return { found: true, target: { parent, name, st, kind: kindOf(st) } }
  } finally {
    for (const o of opened) o.close()
  }
}
