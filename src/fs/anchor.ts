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
import { fail } from '../common/errors.js'
import { native, nativeStatus, type NativeHelper } from './native.js'

const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW
const SLASH = Buffer.from('/')
const DOT = Buffer.from('.')

export type AnchorMode = 'proc' | 'recheck'

/** An entry name: a string when its bytes are valid UTF-8 (they round-trip exactly), else the bytes. */
export type Name = Buffer | string

export function nameBytes(name: Name): Buffer {
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
