/**
 * What moving a directory aside in one rename needs: a rename between two opened directories, a
 * look through a whole tree for what must stay, and a directory's owner, mode and ACLs put on a
 * fresh one. Node has no renameat/renameat2 (it renames by path, and can neither refuse to replace
 * nor swap two entries) and no xattr API (POSIX ACLs are xattrs): these go through the native
 * helper. Without it, a rename goes by /proc/self/fd/N/name, which stays anchored to the opened
 * directories (see anchor.ts), 'noreplace' is emulated, and a swap or an ACL copy is refused
 * (ENOTSUP): the caller then purges in place.
 */
import fs from 'node:fs'
import { errnoError } from './native.js'
import { anchorMode, fastPath, nameBytes, type Anchor, type Name } from './anchor.js'

export type RenameHow = 'replace' | 'noreplace' | 'exchange'

const FLAGS = { replace: 0, noreplace: 1, exchange: 2 } as const
const EEXIST = 17
const EINVAL = 22
const ENOSYS = 38
const ENOTSUP = 95

/**
 * renameat(2) between two opened directories; `how`: 'replace' (plain rename), 'noreplace'
 * (fails EEXIST when newName exists), 'exchange' (atomically swaps the two, both must exist).
 * Throws a Node-style ErrnoException (code, syscall 'rename'). 'exchange' throws code ENOTSUP
 * where it is not available (no native helper, or a kernel or filesystem without
 * RENAME_EXCHANGE): the caller falls back, nothing was moved. Names are single entries (not
 * empty, no slash or NUL, not . or ..); anything else is a caller's bug, thrown as a RangeError.
 */
export function renameAt(from: Anchor, oldName: Name, to: Anchor, newName: Name, how: RenameHow): void {
  const oldBytes = entryName(oldName)
  const newBytes = entryName(newName)
  const h = fastPath()
  if (h !== null) {
    const e = h.rename(from.fd, oldBytes, to.fd, newBytes, FLAGS[how])
    if (e === 0) return
    if (how === 'replace' || (e !== EINVAL && e !== ENOSYS)) throw renameError(e, from, oldBytes, to, newBytes)
    if (how === 'exchange') throw notSupported(from, oldBytes, to, newBytes, 'this kernel or filesystem cannot exchange two entries (RENAME_EXCHANGE)')
    // RENAME_NOREPLACE refused by the kernel or filesystem: emulated as without the helper.
  }
  if (how === 'exchange') throw notSupported(from, oldBytes, to, newBytes, 'exchanging two entries needs the native helper (renameat2)')
  const recheck = anchorMode() === 'recheck'
  if (recheck) {
    from.recheck()
    to.recheck()
  }
  try {
    const oldPath = pathOf(from, oldBytes)
    const newPath = pathOf(to, newBytes)
    if (how === 'replace') fs.renameSync(oldPath, newPath)
    else renameNoReplace(oldPath, newPath)
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).errno
    throw typeof errno === 'number' ? renameError(-errno, from, oldBytes, to, newBytes) : err
  }
  if (recheck) {
    from.recheck()
    to.recheck()
  }
}

/**
 * RENAME_NOREPLACE without renameat2. A non-directory is hard-linked to the new name (link(2)
 * fails EEXIST atomically, and links a symlink as a link), then its old name unlinked. A
 * directory cannot be hard-linked: it is renamed after the new name was seen missing, and an
 * empty directory made there in between would be replaced (a non-empty one, or a file, makes the
 * rename fail). Another residual race: an entry put in place of the old name between the link
 * and the unlink would be unlinked instead, the moved one then keeping both names.
 */
function renameNoReplace(oldPath: Buffer, newPath: Buffer): void {
  if (lstatOrNull(newPath) !== null) throw Object.assign(new Error('EEXIST'), { errno: -EEXIST })
  if (fs.lstatSync(oldPath).isDirectory()) {
    fs.renameSync(oldPath, newPath)
    return
  }
  fs.linkSync(oldPath, newPath)
  try {
    fs.unlinkSync(oldPath)
  } catch (err) {
    try {
      fs.unlinkSync(newPath)
    } catch {
      // the new name stays too: the unlink's error is the one to report
    }
    throw err
  }
}

/**
 * Directory `dst` gets directory `src`'s owner and group (changed only when they differ), its
 * permission bits with setuid, setgid and sticky, and its POSIX ACLs (an ACL `src` has not is
 * removed from `dst`). Throws an ErrnoException at the first failure; the caller undoes. Without
 * the native helper Node cannot read an ACL, so whether `src` has one is unknown: the owner and
 * mode are copied, then it throws code ENOTSUP, and a caller that accepts losing ACLs may go on.
 */
export function cloneDirMeta(src: Anchor, dst: Anchor): void {
  const h = fastPath()
  if (h !== null) {
    const e = h.cloneDirMeta(src.fd, dst.fd)
    if (e !== 0) throw errnoError(e, 'cloneDirMeta', `${shown(src.path)}' -> '${shown(dst.path)}`)
    return
  }
  const s = fs.fstatSync(src.fd)
  const d = fs.fstatSync(dst.fd)
  // The owner first: a chown clears the setgid bit that the chmod then sets.
  if (s.uid !== d.uid || s.gid !== d.gid) fs.fchownSync(dst.fd, s.uid, s.gid)
  fs.fchmodSync(dst.fd, s.mode & 0o7777)
  const err = errnoError(ENOTSUP, 'cloneDirMeta', `${shown(src.path)}' -> '${shown(dst.path)}`)
  err.message = `ENOTSUP: ACLs cannot be copied without the native helper (owner and mode were), cloneDirMeta '${shown(src.path)}' -> '${shown(dst.path)}'`
  throw err
}

export type KeptReason = 'protected' | 'mount-point' | 'unreadable'

const REASONS: Record<number, KeptReason> = { 1: 'protected', 2: 'mount-point', 3: 'unreadable' }

/**
 * The first entry below `dir` (at any depth, never following a link) that must stay, or null when
 * there is none: 'protected', its name is in `names` (any type of entry) or in `dirNames` (a
 * directory), lowercase names compared as policy.ts does (toLowerCase); 'mount-point', a directory
 * on another mount; 'unreadable', it cannot be opened, listed or stat'ed (`code`; ELOOP: 4096
 * levels down). `path` is relative to `dir` ('' for `dir` itself). 'unsupported' when the native
 * helper is not in use, or a name holds a non-ASCII character (the helper folds only ASCII case,
 * and the Kelvin sign, the one character toLowerCase turns into ASCII): the caller then walks in
 * JavaScript.
 */
export function probeKept(
  dir: Anchor,
  names: string[],
  dirNames: string[]
): { path: string; reason: KeptReason; code?: string } | null | 'unsupported' {
  const h = fastPath()
  // eslint-disable-next-line no-control-regex
  if (h === null || [...names, ...dirNames].some((n) => /[^\x00-\x7f]/.test(n))) return 'unsupported'
  const r = h.probe(dir.fd, nameList(names), nameList(dirNames))
  if (r === null) return null
  const [path, reason, errno] = r
  const found = { path: path.toString('utf8'), reason: REASONS[reason] }
  return errno === 0 ? found : { ...found, code: errnoError(errno, 'probe', '').code }
}

/**
 * The names as the helper takes them: lowercased as policy.ts does, separated by NULs. A name that
 * can be no entry's (empty, . or .., holding a slash or a NUL) can match nothing and is left out.
 */
function nameList(names: string[]): Buffer {
  const kept = names.map((n) => n.toLowerCase()).filter((n) => n !== '' && n !== '.' && n !== '..' && !/[/\0]/.test(n))
  return Buffer.from(kept.join('\0'))
}

/** The bytes of one entry name; a caller's bug (a path, ., .., empty) is thrown. */
function entryName(name: Name): Buffer {
  const b = nameBytes(name)
  if (b.length === 0 || b.includes(0x2f) || b.includes(0) || (b[0] === 0x2e && (b.length === 1 || (b.length === 2 && b[1] === 0x2e)))) {
    throw new RangeError(`renameAt: ${JSON.stringify(b.toString('utf8'))} is not one entry name`)
  }
  return b
}

/** The path that reaches `name` in `dir`: through its fd with /proc, else its own path (re-checked). */
function pathOf(dir: Anchor, name: Buffer): Buffer {
  if (anchorMode() === 'proc') return Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), name])
  return Buffer.concat([dir.path, Buffer.from('/'), name])
}

function shown(path: Buffer, name?: Buffer): string {
  return (name === undefined ? path : Buffer.concat([path, Buffer.from('/'), name])).toString('utf8')
}

function renameError(errno: number, from: Anchor, oldName: Buffer, to: Anchor, newName: Buffer): NodeJS.ErrnoException {
  const path = shown(from.path, oldName)
  const dest = shown(to.path, newName)
  return Object.assign(errnoError(errno, 'rename', `${path}' -> '${dest}`), { path, dest })
}

function notSupported(from: Anchor, oldName: Buffer, to: Anchor, newName: Buffer, why: string): NodeJS.ErrnoException {
  const err = renameError(ENOTSUP, from, oldName, to, newName)
  err.message = `ENOTSUP: ${why}, rename '${err.path}' -> '${(err as { dest?: string }).dest}'`
  return err
}

function lstatOrNull(path: Buffer): fs.Stats | null {
  try {
    return fs.lstatSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}
