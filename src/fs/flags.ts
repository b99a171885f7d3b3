/**
 * The Linux inode flags that stop an unlink whoever asks: an immutable or append-only entry
 * cannot be unlinked, nor can anything in an immutable or append-only directory, not even by
 * root. Only statx(2) reports them (in stx_attributes, without opening the file); Node has no
 * statx, so they come from the native helper, and are unknown (null) on the JavaScript path.
 * With the owner (which a sticky directory checks), a planner can tell before anything is
 * deleted which entries would stay.
 */
import fs from 'node:fs'
import { errnoError } from './native.js'
import { fastPath, lstatAt, nameBytes, type Anchor, type Name } from './anchor.js'

/** STATX_ATTR_IMMUTABLE: no unlink, rename or write of the entry, nor of a directory's entries. */
export const FLAG_IMMUTABLE = 0x10
/** STATX_ATTR_APPEND: append-only; a directory's entries cannot be unlinked or renamed either. */
export const FLAG_APPEND = 0x20

export interface FileFlags {
  immutable: boolean
  appendOnly: boolean
}

/** The flags in `bits` (StatEntry.flags, or the helper's); null when they are unknown (-1). */
export function decodeFlags(bits: number): FileFlags | null {
  if (bits === -1) return null
  return { immutable: (bits & FLAG_IMMUTABLE) !== 0, appendOnly: (bits & FLAG_APPEND) !== 0 }
}

/** The flag that stops an unlink, if any: the entry's own, or (for a directory) its entries'. */
export function blockingFlag(f: FileFlags | null): 'immutable' | 'append-only' | null {
  return f?.immutable ? 'immutable' : f?.appendOnly ? 'append-only' : null
}

/**
 * The owner, mode and flags of `name` in `dir` (not following a link), or of `dir` itself when
 * `name` is null. Through the native helper relative to the directory fd when it is in use;
 * otherwise an lstat the way anchor.ts does it (or an fstat of the fd), with flags null. Throws
 * the lstat's error (ENOENT and the like).
 */
export function flagsAt(dir: Anchor, name: Name | null): { uid: number; mode: number; flags: FileFlags | null } {
  const h = fastPath()
  if (h === null) {
    const st = name === null ? fs.fstatSync(dir.fd) : lstatAt(dir, name)
    return { uid: st.uid, mode: st.mode, flags: null }
  }
  const r = h.flags(dir.fd, name === null ? null : nameBytes(name))
  if (typeof r === 'number') {
    const what = name === null ? dir.path : Buffer.concat([dir.path, Buffer.from('/'), nameBytes(name)])
    throw errnoError(r, name === null ? 'fstat' : 'lstat', what.toString('utf8'))
  }
  return { uid: r[0], mode: r[1], flags: decodeFlags(r[2]) }
}
