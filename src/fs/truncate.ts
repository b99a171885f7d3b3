/**
 * Truncating a held-open file to zero in place, anchored like every other operation: the file is
 * found relative to the opened directory without following a link, checked, and only the
 * descriptor that was checked is truncated. Used for files a running process holds open
 * (holders.ts), whose space an unlink would not give back while that process lives.
 *
 * On Linux the name is first opened with O_PATH|O_NOFOLLOW through /proc/self/fd/<dirfd>/<name>
 * (the magic link lands in the directory the fd holds, whatever happened to its path): an O_PATH
 * descriptor does no I/O, so a FIFO or device node swapped in is never opened, and a link is held
 * as the link. Only once fstat proves it is the regular file the walk saw is it reopened for
 * writing through /proc/self/fd/<that fd>, which reaches that very inode, not a name. Node has no
 * O_PATH constant: it is 010000000 on Linux.
 *
 * The fallback (other platforms, 'recheck') opens the name through the working directory as
 * Anchor.child() does, after an lstat that narrows the moment a swap could make it open a special
 * file to the microseconds between the two calls. O_NOFOLLOW (a link is never opened), O_NONBLOCK
 * (a FIFO with no reader fails with ENXIO instead of blocking; a lease makes it EWOULDBLOCK instead
 * of a 45-second wait), O_NOCTTY (a terminal never becomes ours); libuv adds O_CLOEXEC to every open.
 *
 * Either way, only a regular file that is the node the walk saw (device+inode), on the opened
 * directory's mount, with no other name (st_nlink 1, checked on the descriptor about to be
 * truncated) is truncated. With another name it could be a protected file's content, so it is
 * refused and the caller unlinks this name. A file bind-mounted over the name is another name that
 * st_nlink does not count (`mount --bind models/w.bin logs/w.bin`): its mount ID (mnt_id in
 * /proc/self/fdinfo, where there is one) must be the directory's, or it is refused as a mount point.
 */
import fs from 'node:fs'
import { anchorMode, lstatAt, nameBytes, sameNode, type Anchor, type Name, type NodeId } from './anchor.js'

const O_PATH = 0o10000000
const { O_WRONLY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = fs.constants
const O_WRITE = O_WRONLY | O_NONBLOCK | O_NOCTTY

export type TruncateResult =
  /** Truncated to zero; `bytes` is its size just before. */
  | { truncated: true; bytes: number }
  /** It has other names (hard links): not truncated. */
  | { truncated: false; reason: 'linked'; nlink: number }
  /** The name no longer holds that regular file (replaced, or not a regular file): nothing was done to it. */
  | { truncated: false; reason: 'changed' }
  /** Something is mounted over the name (a file bind mount): not truncated. */
  | { truncated: false; reason: 'mount-point' }

const CHANGED: TruncateResult = { truncated: false, reason: 'changed' }

/** Errors that mean "the name now holds something that is not a regular file" (a swap): no change made. */
const SWAPPED = new Set(['ELOOP', 'EISDIR', 'ENXIO', 'ENODEV', 'ENOTDIR'])

/**
 * Truncates `name` in `dir` to zero if it is still the regular file `expected` with one name.
 * Throws what open/ftruncate throw (ENOENT: gone; EACCES, EPERM, ETXTBSY, EWOULDBLOCK, EROFS:
 * it cannot be truncated) apart from the errors a swap causes, which are `changed`.
 */
export function truncateHeldAt(dir: Anchor, name: Name, expected: NodeId): TruncateResult {
  if (anchorMode() !== 'proc') {
    const seen = lstatAt(dir, name)
    if (!seen.isFile() || !sameNode(seen, expected)) return CHANGED
    return truncateOpened(dir, () => fs.openSync(dir.child(name), O_WRITE | O_NOFOLLOW), expected)
  }
  const held = openOrChanged(() => fs.openSync(Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), nameBytes(name)]), O_PATH | O_NOFOLLOW))
  if (held === null) return CHANGED
  try {
    const refused = refusal(dir, fs.fstatSync(held), expected) ?? otherMount(dir, held)
    if (refused) return refused
    return truncateOpened(dir, () => fs.openSync(`/proc/self/fd/${held}`, O_WRITE), expected)
  } finally {
    fs.closeSync(held)
  }
}

/** Why the node open as `st` must not be truncated, or null when it may. */
function refusal(dir: Anchor, st: fs.Stats, expected: NodeId): TruncateResult | null {
  // nlink 0: unlinked since it was found, so the name no longer holds it.
  if (!st.isFile() || !sameNode(st, expected) || st.nlink === 0) return CHANGED
  // Another filesystem mounted over the name (the walk saw the mounted file's device).
  if (st.dev !== dir.dev) return { truncated: false, reason: 'mount-point' }
  if (st.nlink > 1) return { truncated: false, reason: 'linked', nlink: st.nlink }
  return null
}

/** A file on another mount than the directory holding its name is mounted over that name. */
function otherMount(dir: Anchor, fd: number): TruncateResult | null {
  const mine = mountIdOf(fd)
  const its = mountIdOf(dir.fd)
  return mine !== null && its !== null && mine !== its ? { truncated: false, reason: 'mount-point' } : null
}

function mountIdOf(fd: number): number | null {
  try {
    const m = /^mnt_id:\s*(\d+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null // no /proc (other platforms): bind mounts cannot be told apart there
  }
}

function openOrChanged(open: () => number): number | null {
  try {
    return open()
  } catch (err) {
    if (SWAPPED.has((err as NodeJS.ErrnoException).code ?? '')) return null
    throw err
  }
}

/** Opens for writing, checks the open file again, and truncates that descriptor. */
function truncateOpened(dir: Anchor, open: () => number, expected: NodeId): TruncateResult {
  const fd = openOrChanged(open)
  if (fd === null) return CHANGED
  try {
    const st = fs.fstatSync(fd)
    const refused = refusal(dir, st, expected) ?? otherMount(dir, fd)
    if (refused) return refused
    fs.ftruncateSync(fd, 0)
    return { truncated: true, bytes: st.size }
  } finally {
    fs.closeSync(fd)
  }
}
