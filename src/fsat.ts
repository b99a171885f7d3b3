/**
 * Directory-anchored filesystem access (Linux).
 *
 * Node has no openat/unlinkat/fstatat. On Linux, /proc/self/fd/N is a magic link to whatever
 * directory fd N has open: resolving `/proc/self/fd/N/name` looks `name` up in *that* directory,
 * even after its path was renamed or replaced by a symlink. Only the final component is then
 * looked up, and lstat/unlink/rmdir never follow it; directories are opened with O_NOFOLLOW.
 * Names are Buffers so that file names that are not valid UTF-8 can still be removed.
 */
import fs from 'node:fs'
import { fail } from './errors.js'

const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW

export function anchoredFsAvailable(): boolean {
  try {
    return fs.statSync('/proc/self/fd').isDirectory()
  } catch {
    return false
  }
}

export function at(fd: number, name: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`/proc/self/fd/${fd}/`), name])
}

/** Opens an absolute directory path; the final component must not be a link. */
export function openDirPath(path: string): number {
  return fs.openSync(path, O_DIR)
}

/** Opens `name` inside directory `fd`; fails (ENOTDIR/ELOOP) when it is a link or not a directory. */
export function openDirAt(fd: number, name: Buffer): number {
  return fs.openSync(at(fd, name), O_DIR)
}

export function lstatAt(fd: number, name: Buffer): fs.Stats {
  return fs.lstatSync(at(fd, name))
}

export function unlinkAt(fd: number, name: Buffer): void {
  fs.unlinkSync(at(fd, name))
}

export function rmdirAt(fd: number, name: Buffer): void {
  fs.rmdirSync(at(fd, name))
}

export function readlinkAt(fd: number, name: Buffer): string {
  return fs.readlinkSync(at(fd, name), 'utf8')
}

export function readDirFd(fd: number): Buffer[] {
  return fs.readdirSync(`/proc/self/fd/${fd}`, { encoding: 'buffer' })
}

export function closeFd(fd: number): void {
  try {
    fs.closeSync(fd)
  } catch {
    // already closed: nothing to release
  }
}

export type Kind = 'file' | 'dir' | 'symlink' | 'special'

export function kindOf(st: fs.Stats): Kind {
  if (st.isSymbolicLink()) return 'symlink'
  if (st.isDirectory()) return 'dir'
  if (st.isFile()) return 'file'
  return 'special'
}

export interface NodeId {
  dev: number
  ino: number
}

export function sameNode(a: NodeId, b: NodeId): boolean {
  return a.dev === b.dev && a.ino === b.ino
}

/**
 * Opens the directory `name` in `parentFd` and proves it is the node `expected` describes
 * (a swap between lstat and open is caught here). Throws ECHANGED when it is not.
 */
export function openCheckedDir(parentFd: number, name: Buffer, expected: fs.Stats): number {
  const fd = openDirAt(parentFd, name)
  const st = fs.fstatSync(fd)
  if (!sameNode(st, expected)) {
    closeFd(fd)
    throw fail('ECHANGED', 'directory was replaced between check and open')
  }
  return fd
}

export interface ResolvedTarget {
  /** Open fd of the target's parent directory; the caller closes it. */
  parentFd: number
  name: Buffer
  st: fs.Stats
  kind: Kind
}

export type TargetLookup =
  | { found: true; target: ResolvedTarget }
  | { found: false; missing: boolean; reason: string }

/**
 * Walks `rel` segment by segment from the root fd without following any link, so a parent that
 * is a symlink (e.g. `data -> /elsewhere` for `data/redis`) refuses the target instead of leaving root.
 */
export function lookupTarget(rootFd: number, rel: string): TargetLookup {
  const segments = rel.split('/')
  let fd = rootFd
  const opened: number[] = []
  try {
    for (let i = 0; i < segments.length - 1; i++) {
      try {
        fd = openDirAt(fd, Buffer.from(segments[i]))
        opened.push(fd)
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
      st = lstatAt(fd, name)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return { found: false, missing: true, reason: 'does not exist' }
      return { found: false, missing: false, reason: `cannot inspect it: ${code ?? err}` }
    }
    const parentFd = opened.length > 0 ? (opened.pop() as number) : openDirAt(rootFd, Buffer.from('.'))
    return { found: true, target: { parentFd, name, st, kind: kindOf(st) } }
  } finally {
    for (const o of opened) closeFd(o)
  }
}
