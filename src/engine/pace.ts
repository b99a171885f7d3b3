/**
 * How a walk is paced and bounded: it yields to the event loop so a cancel signal is seen, says
 * how many directories may be visited at once, and caps how much one pass over a directory may
 * handle, so that a process writing faster than the purge removes cannot keep it going forever.
 */
import fs from 'node:fs'
import { fastPath, type Anchor } from '../fs/anchor.js'

/**
 * Directories walked at the same time as the one in hand, over the whole walk, when the native
 * helper is in use (its operations need no working directory, so visits can interleave and the
 * thread pool removes files in several directories at once). The JavaScript path walks one
 * directory at a time: it is anchored by the working directory.
 */
const EXTRA_DIR_VISITS = 7

/**
 * Lets signal handlers run during a long walk: yields to the event loop at most every
 * YIELD_MS, and says when the walk must stop (the signal was aborted).
 */
export class Pacer {
  static readonly YIELD_MS = 20
  private last = Date.now()
  private count = 0
  /** Whether directories may be visited concurrently (the native helper is in use). */
  readonly concurrent = fastPath() !== null
  /** Directory visits that may still start alongside the current one (see EXTRA_DIR_VISITS). */
  private slots = this.concurrent ? EXTRA_DIR_VISITS : 0
  constructor(readonly signal?: AbortSignal) {}

  /** Takes a slot for a concurrent directory visit; false when none is free (visit inline). */
  takeSlot(): boolean {
    if (this.slots === 0) return false
    this.slots--
    return true
  }

  releaseSlot(): void {
    this.slots++
  }

  get stopped(): boolean {
    return this.signal?.aborted === true
  }

  /** Cheap, synchronous: true when it is time to yield (then `await pacer.yield()`). */
  due(): boolean {
    if ((++this.count & 255) !== 0) return false
    return Date.now() - this.last >= Pacer.YIELD_MS
  }

  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    this.last = Date.now()
  }
}

/**
 * The fewest bytes of a directory's st_size each entry costs, by filesystem (statfs f_type):
 * ext2/3/4 12 (8-byte header, name padded to 4), xfs 8 (entries kept in the inode), tmpfs 20 (its "bogo" dirent size),
 * btrfs 2 (twice the name's length). Elsewhere 1 (ZFS counts entries).
 */
const BYTES_PER_ENTRY = new Map<number, number>([[0xef53, 12], [0x58465342, 8], [0x01021994, 20], [0x9123683e, 2]])
/** Filesystems whose directory sizes say nothing of what can be listed: FUSE, overlayfs (merged directories). */
const SIZE_UNRELIABLE = new Set<number>([0x65735546, 0x794c7630])
/** Slack over what a directory could hold: entries a running application adds during the purge. */
const PASS_SLACK = 1024
export const PASS_CAP_UNRELIABLE = 65536

const fsTypes = new WeakMap<Anchor, number | null>()
export function fsTypeOf(root: Anchor): number | null {
  if (!fsTypes.has(root)) {
    let type: number | null = null
    try {
      type = fs.statfsSync(root.path.toString()).type
    } catch {
      // unknown: treated as a filesystem that counts one byte per entry
    }
    fsTypes.set(root, type)
  }
  return fsTypes.get(root) ?? null
}

/**
 * Most entries one pass over a directory may handle: what it could hold at `size` bytes when it
 * was first seen, plus some slack. A directory being purged never reaches it; only one that a
 * process keeps filling during the pass does. Everything the walk visits is on the root's mount.
 */
export function passCap(size: number, fsType: number | null): number {
  if (fsType !== null && SIZE_UNRELIABLE.has(fsType)) return Math.max(size, PASS_CAP_UNRELIABLE)
  const perEntry = (fsType !== null && BYTES_PER_ENTRY.get(fsType)) || 1
  return Math.ceil(size / perEntry) + PASS_SLACK
}
