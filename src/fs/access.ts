/**
 * Whether this process could unlink an entry, found out without trying, so that a dry run (and a
 * real run, before it stops the stack) can say what a purge would fail on: write and search
 * permission on the entry's directory (access(2), the kernel's own check for this process), the
 * sticky bit (then only the entry's or the directory's owner may unlink), a read-only filesystem,
 * and the immutable and append-only flags of the entry and of its directory.
 */
import fs from 'node:fs'
import type { Anchor } from './anchor.js'
import { blockingFlag, decodeFlags, flagsAt, type FileFlags } from './flags.js'

export interface Denial {
  code: 'EACCES' | 'EPERM' | 'EROFS'
  /** Why, in words, naming the directory or the flag. */
  why: string
  /** A root pass could unlink it (a permission, not a flag or a read-only filesystem). */
  rootCan: boolean
  /** Who owns the entry, when known. */
  owner: number | null
}

interface DirFacts {
  /** Nothing about the directory stands in the way (writable, no flag). */
  clear: boolean
  /** access(W_OK | X_OK) failed with this code, or null. */
  denied: 'EACCES' | 'EROFS' | null
  uid: number
  mode: number
  sticky: boolean
  flags: FileFlags | null
}

const S_ISVTX = 0o1000

/** One check per directory (cached by its anchor), then one comparison per entry. */
export class UnlinkCheck {
  private readonly dirs = new WeakMap<Anchor, DirFacts>()

  constructor(private readonly uid: number = process.geteuid?.() ?? -1) {}

  /**
   * Why `entry` (in the open directory `parent`) could not be unlinked by this process; null when
   * nothing says so. `entry.uid`/`entry.flags` come from the walk's lstat (flags -1 or absent:
   * unknown, then only the directory is checked). `at.rel` is the entry's root-relative path,
   * read only when there is something to say: most entries cost one cached lookup and no string.
   */
  denied(parent: Anchor, entry: { uid?: number; flags?: number }, at: { rel: string }): Denial | null {
    const dir = this.facts(parent)
    const bits = entry.flags ?? -1
    if (dir.clear && bits <= 0 && (!dir.sticky || this.uid === 0 || dir.uid === this.uid || entry.uid === this.uid)) return null
    const i = at.rel.lastIndexOf('/')
    const where = i === -1 ? 'the root' : at.rel.slice(0, i)
    const owner = entry.uid ?? null
    if (dir.denied === 'EROFS') return { code: 'EROFS', why: `${where} is on a read-only filesystem`, rootCan: false, owner }
    const dirFlag = blockingFlag(dir.flags)
    if (dirFlag) return { code: 'EPERM', why: `${where} is ${dirFlag} (chattr; nobody can unlink in it)`, rootCan: false, owner }
    const flag = blockingFlag(decodeFlags(bits))
    if (flag) return { code: 'EPERM', why: `it is ${flag} (chattr; nobody can unlink it)`, rootCan: false, owner }
    if (this.uid === 0) return null
    if (dir.denied === 'EACCES') {
      return { code: 'EACCES', why: `${where} is not writable by uid ${this.uid} (owner ${dir.uid}, mode ${(dir.mode & 0o7777).toString(8)})`, rootCan: true, owner }
    }
    if (dir.sticky && dir.uid !== this.uid && owner !== null && owner !== this.uid) {
      return { code: 'EPERM', why: `${where} is sticky and neither it nor the entry is owned by uid ${this.uid} (the entry's owner is ${owner})`, rootCan: true, owner }
    }
    return null
  }

  private facts(dir: Anchor): DirFacts {
    const known = this.dirs.get(dir)
    if (known) return known
    let denied: DirFacts['denied'] = null
    try {
      fs.accessSync(dir.listPath(), fs.constants.W_OK | fs.constants.X_OK)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      denied = code === 'EROFS' ? 'EROFS' : 'EACCES'
    }
    let uid = -1
    let mode = 0
    let flags: FileFlags | null = null
    try {
      const f = flagsAt(dir, null)
      uid = f.uid
      mode = f.mode
      flags = f.flags
    } catch {
      // unknown: the access check above still stands
    }
    const clear = denied === null && blockingFlag(flags) === null
    const facts = { clear, denied, uid, mode, sticky: (mode & S_ISVTX) !== 0, flags }
    this.dirs.set(dir, facts)
    return facts
  }
}
