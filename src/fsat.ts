/**
 * Directory-anchored filesystem access.
 *
 * Node has no openat/unlinkat/fstatat. On Linux, /proc/self/fd/N is a magic link to whatever
 * directory fd N has open: resolving `/proc/self/fd/N/name` looks `name` up in *that* directory,
 * even after its path was renamed or replaced by a symlink. Only the final component is then
 * looked up, and lstat/unlink/rmdir never follow it; directories are opened with O_NOFOLLOW.
 *
 * Where /proc/self/fd is not available (other platforms), the fallback is tmpwatch's: chdir into
 * the directory, prove with stat('.') that the working directory is the device+inode that was
 * opened, then act on single-component relative names, which resolve in that inode whatever
 * happens to its path. The chdir itself goes by path, hence the proof after it; directories are
 * also re-checked after descending. See SECURITY.md for what remains.
 *
 * Mounts: a bind mount of the same filesystem has the same st_dev, so directories are compared
 * by mount ID (mnt_id in /proc/self/fdinfo) as well; the fallback can only compare st_dev.
 * Names are Buffers so that file names that are not valid UTF-8 can still be removed.
 */
import fs from 'node:fs'
import { fail } from './errors.js'

const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW
const SLASH = Buffer.from('/')

export type AnchorMode = 'proc' | 'recheck'

function procAvailable(): boolean {
  try {
    return fs.statSync('/proc/self/fd').isDirectory()
  } catch {
    return false
  }
}

// On Linux, /proc is required (a Linux without it is refused by the engine): the fallback is for
// other platforms, and for tests that force it.
let mode: AnchorMode = procAvailable() || process.platform === 'linux' ? 'proc' : 'recheck'

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
  try {
    process.chdir(dir.path.toString('utf8'))
  } catch {
    throw changed(dir.path)
  }
  if (!sameNode(fs.statSync('.'), dir)) throw changed(dir.path)
  cwdAnchor = dir
}

/** Fallback mode: go back to the directory the process started in. */
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
    readonly mountId: number | null
  ) {}

  private static fromFd(fd: number, path: Buffer): Anchor {
    const st = fs.fstatSync(fd)
    return new Anchor(fd, path, st.dev, st.ino, mountIdOf(fd))
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
  child(name: Buffer): Buffer {
    if (mode === 'proc') return Buffer.concat([Buffer.from(`/proc/self/fd/${this.fd}/`), name])
    enter(this)
    return name
  }

  /** The path to list this directory by. */
  listPath(): Buffer {
    if (mode === 'proc') return Buffer.from(`/proc/self/fd/${this.fd}`)
    enter(this)
    return Buffer.from('.')
  }

  /** Opens directory `name` here; fails (ENOTDIR/ELOOP) when it is a link or not a directory. */
  openChild(name: Buffer): Anchor {
    return Anchor.fromFd(fs.openSync(this.child(name), O_DIR), Buffer.concat([this.path, SLASH, name]))
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

export function lstatAt(dir: Anchor, name: Buffer): fs.Stats {
  return fs.lstatSync(dir.child(name))
}

export function unlinkAt(dir: Anchor, name: Buffer): void {
  fs.unlinkSync(dir.child(name))
}

export function rmdirAt(dir: Anchor, name: Buffer): void {
  fs.rmdirSync(dir.child(name))
}

export function readlinkAt(dir: Anchor, name: Buffer): string {
  return fs.readlinkSync(dir.child(name), 'utf8')
}

/** Streams a directory's entries (never reads it whole). */
export function openDirStream(dir: Anchor): fs.Dir {
  return fs.opendirSync(dir.listPath(), { encoding: 'buffer' as BufferEncoding, bufferSize: 256 })
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
export function openCheckedDir(parent: Anchor, name: Buffer, expected: NodeId): Anchor {
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
  name: Buffer
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
