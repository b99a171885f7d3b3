/**
 * Listing an opened directory: its entries with their type (d_type), or with their lstat made
 * relative to the directory. The native helper does both in C against the directory fd; the
 * JavaScript path lists through the working directory (see anchor.ts). A huge directory is
 * streamed, so memory stays flat however many entries it holds.
 */
import fs from 'node:fs'
import { isUtf8 } from 'node:buffer'
import { errnoError, META } from './native.js'
import { fastPath, lstatAt, type Anchor, type Name, type NodeId } from './anchor.js'

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

/** What the walk needs of an entry's lstat. */
export interface EntryStat extends NodeId {
  size: number
  /** The owner's uid, when the walk's lstat gave it (a target's own lstat: fs.Stats, which has it too). */
  uid?: number
  /** Immutable/append-only bits (fs/flags.ts), -1 when unknown; absent when not looked at. */
  flags?: number
}

/**
 * A directory entry with its lstat, as a walk sees it. One object per entry, no more: it is its
 * own `st`, and its root-relative path is only built when someone asks (most entries never need
 * it). `err` is set when the lstat failed (then kind is 'special', the numbers are 0 and flags
 * is -1).
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
    /** The owner: who may unlink it from a sticky directory. */
    readonly uid: number,
    /**
     * Its immutable and append-only bits (FLAG_IMMUTABLE, FLAG_APPEND of flags.ts: such an entry,
     * or anything in such a directory, cannot be unlinked, not even by root); -1 when unknown
     * (the JavaScript path, which has no statx, or a filesystem that does not report them).
     */
    readonly flags: number,
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
        batch.push(new StatEntry(dir, d.name, text, dirRel, 'special', 0, 0, 0, 0, -1, err as NodeJS.ErrnoException))
        continue
      }
      batch.push(new StatEntry(dir, d.name, text, dirRel, kindOf(st), st.size, st.dev, st.ino, st.uid, -1, null))
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
        batch.push(new StatEntry(dir, name, text, dirRel, 'special', 0, 0, 0, 0, -1, errnoError(errno, 'lstat', text)))
        continue
      }
      batch.push(
        new StatEntry(dir, name, text, dirRel, kindOfMode(meta[i + 3]), meta[i + 4], meta[i + 5], meta[i + 6], meta[i + 7], meta[i + 8], null)
      )
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
