/**
 * The listing a dry run shows on request (`--list`, and the action's dry-run summary): every
 * entry directly inside a target that would go, with, for a directory, what it holds. Bounded:
 * the first LIST_LIMIT entries by name are named, the rest only counted, so a million-file
 * target costs the same memory as a small one. Pure bookkeeping: the planner feeds it.
 */
import type { Kind } from '../fs/entries.js'

/** How many entries a target's listing names; the rest are counted. */
export const LIST_LIMIT = 200

export interface ListedEntry {
  /** Root-relative path of an entry directly inside the target. */
  path: string
  kind: Kind
  /** Regular files it is or holds, and their apparent size (st_size). */
  files: number
  bytes: number
  /** Entries below it (a directory), itself not included. */
  inside: number
  /** A directory that stays because something inside it stays (protected, a mount point, a held-open file). */
  keeps: boolean
}

export interface Listing {
  /**
   * The target directory itself goes, once emptied (remove-target-dirs). A file or link target is
   * not a directory: it is its own one entry in `entries`.
   */
  itselfGoes: boolean
  entries: ListedEntry[]
  /** What the entries past LIST_LIMIT hold: how many entries (at any depth), files and bytes. */
  more: { entries: number; files: number; bytes: number }
}

export class ListingBuilder {
  private readonly byName = new Map<string, ListedEntry>()
  /** Once the map was cut: no entry sorting after this one is named any more. */
  private cutoff: string | null = null
  private readonly more = { entries: 0, files: 0, bytes: 0 }
  /** Named directories whose own visit ended (`dir` was called). */
  private readonly closed = new Set<string>()
  private readonly prefix: string
  private itselfGoes = false

  constructor(private readonly target: string) {
    this.prefix = `${target}/`
  }

  /** A non-directory entry that goes. */
  leaf(rel: string, kind: Kind, size: number): void {
    const files = kind === 'file' ? 1 : 0
    const bytes = kind === 'file' ? size : 0
    if (rel === this.target) {
      // A file or link target: the entry that goes is the target itself.
      this.add(rel, kind, (x) => {
        x.files += files
        x.bytes += bytes
      }, 1, files, bytes)
      return
    }
    const top = this.topOf(rel)
    if (top === null) return
    if (top === rel) {
      this.add(top, kind, (x) => {
        x.files += files
        x.bytes += bytes
      }, 1, files, bytes)
    } else {
      this.add(top, 'dir', (x) => {
        x.inside++
        x.files += files
        x.bytes += bytes
      }, 1, files, bytes)
    }
  }

  /**
   * A directory once its children were seen: `stays` when something inside it stays (for the
   * target itself: also when it is emptied and kept).
   */
  dir(rel: string, stays: boolean): void {
    if (rel === this.target) {
      this.itselfGoes = !stays
      return
    }
    const top = this.topOf(rel)
    if (top === null) return
    if (top === rel) {
      // Closed before it is added: adding it may cut the list, and a cut counts a closed entry whole.
      this.closed.add(top)
      this.add(top, 'dir', (x) => (x.keeps = x.keeps || stays), stays ? 0 : 1, 0, 0)
      if (!this.byName.has(top)) this.closed.delete(top)
    }
    else if (!stays) this.add(top, 'dir', (x) => x.inside++, 1, 0, 0)
  }

  finish(): Listing {
    const entries = [...this.byName.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    if (entries.length > LIST_LIMIT) {
      for (const x of entries.slice(LIST_LIMIT)) this.spill(x)
      entries.length = LIST_LIMIT
    }
    return { itselfGoes: this.itselfGoes, entries, more: { ...this.more } }
  }

  /** The target's child that `rel` is or lies in; null for anything else. */
  private topOf(rel: string): string | null {
    if (!rel.startsWith(this.prefix)) return null
    const slash = rel.indexOf('/', this.prefix.length)
    return slash === -1 ? rel : rel.slice(0, slash)
  }

  private add(top: string, kind: Kind, update: (x: ListedEntry) => void, entries: number, files: number, bytes: number): void {
    if (this.cutoff !== null && top > this.cutoff) {
      this.more.entries += entries
      this.more.files += files
      this.more.bytes += bytes
      return
    }
    let x = this.byName.get(top)
    if (x === undefined) {
      x = { path: top, kind, files: 0, bytes: 0, inside: 0, keeps: false }
      this.byName.set(top, x)
    }
    update(x)
    if (this.byName.size >= 2 * LIST_LIMIT) this.cut()
  }

  /** Keeps the first LIST_LIMIT names; what sorts after them is only counted from now on. */
  private cut(): void {
    const names = [...this.byName.keys()].sort()
    for (const name of names.slice(LIST_LIMIT)) {
      this.spill(this.byName.get(name) as ListedEntry)
      this.byName.delete(name)
      this.closed.delete(name)
    }
    this.cutoff = names[LIST_LIMIT - 1]
  }

  /** Moves a named entry into the counts; a directory still open counts itself when it closes. */
  private spill(x: ListedEntry): void {
    const itself = x.kind !== 'dir' ? 1 : this.closed.has(x.path) && !x.keeps ? 1 : 0
    this.more.entries += itself + x.inside
    this.more.files += x.files
    this.more.bytes += x.bytes
  }
}
