/**
 * Snapshot of every protected entry under the root (at any depth, inside targets too), taken
 * before and after the purge without following links. A file is identified by type, size,
 * mtime and inode (ctime and link count are left out on purpose: unlinking a hardlink inside a
 * target changes them, not the content); a directory by type and inode, its entries are
 * compared one by one; a link also by where it points.
 */
import fs from 'node:fs'
import { TRASH_DIR, type Policy } from './policy.js'
import { kindOf, typedEntries, type Kind } from '../fs/entries.js'
import { lstatAt, readlinkAt, type Anchor, type Name } from '../fs/anchor.js'
import { openCheckedDir } from '../fs/lookup.js'

export interface FpEntry {
  kind: Kind
  ino: number
  size: number
  mtimeMs: number
  link?: string
  unreadable?: boolean
}

export interface ProtectedRoot {
  path: string
  kind: Kind
  /** Entries at and below this path. */
  entries: number
}

export interface Fingerprint {
  entries: Map<string, FpEntry>
  /** Topmost protected paths (their parent is not protected), for the report. */
  roots: ProtectedRoot[]
}

export interface FpChange {
  path: string
  what: string
}

/**
 * `skip`: root-relative paths not to enter (a dry run's targets, which it never changes); the
 * trash never is (strategy move): it holds what was deleted, nothing protected.
 */
export function takeFingerprint(rootDir: Anchor, policy: Policy, skip: ReadonlySet<string> = new Set()): Fingerprint {
  const fp: Fingerprint = { entries: new Map(), roots: [] }
  walkDir(rootDir, '', false, policy, fp, null, new Set([...skip, TRASH_DIR]))
  return fp
}

function record(st: fs.Stats, kind: Kind): FpEntry {
  return kind === 'dir'
    ? { kind, ino: st.ino, size: 0, mtimeMs: 0 }
    : { kind, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs }
}

/** Opens `name` (a directory; never through a link) and walks it. */
function descend(
  parent: Anchor,
  name: Name,
  rel: string,
  st: fs.Stats | null,
  inProtected: boolean,
  policy: Policy,
  fp: Fingerprint,
  root: ProtectedRoot | null,
  skip?: ReadonlySet<string>
): void {
  let child: Anchor
  try {
    child = st ? openCheckedDir(parent, name, st) : parent.openChild(name)
  } catch {
    const e = fp.entries.get(rel)
    if (e) e.unreadable = true
    return
  }
  try {
    walkDir(child, rel, inProtected, policy, fp, root, skip)
  } finally {
    child.close()
  }
}

function walkDir(dirA: Anchor, dirRel: string, inProtected: boolean, policy: Policy, fp: Fingerprint, root: ProtectedRoot | null, skip?: ReadonlySet<string>): void {
  try {
    for (const d of typedEntries(dirA)) {
      const name = d.name
      const text = name.toString('utf8')
      const rel = dirRel === '' ? text : `${dirRel}/${text}`
      if (skip?.has(rel)) continue
      // The directory entry's own type (d_type) decides most entries without a stat: an
      // unprotected file costs nothing but the policy check; a directory is opened directly.
      const typed = d.kind
      if (!inProtected && typed !== null && !policy.isProtectedIn(dirRel, text, typed === 'dir')) {
        if (typed === 'dir') descend(dirA, name, rel, null, false, policy, fp, null, skip)
        continue
      }
      let st: fs.Stats
      try {
        st = lstatAt(dirA, name)
      } catch {
        continue
      }
      const kind = kindOf(st)
      const isProtected = inProtected || policy.isProtectedIn(dirRel, text, kind === 'dir')
      let myRoot = root
      if (isProtected) {
        const entry = record(st, kind)
        if (kind === 'symlink') {
          try {
            entry.link = readlinkAt(dirA, name)
          } catch {
            entry.unreadable = true
          }
        }
        fp.entries.set(rel, entry)
        if (!inProtected) {
          myRoot = { path: rel, kind, entries: 0 }
          fp.roots.push(myRoot)
        }
        if (myRoot) myRoot.entries++
      }
      if (kind === 'dir') descend(dirA, name, rel, st, isProtected, policy, fp, isProtected ? myRoot : null, skip)
    }
  } catch {
    // An unreadable directory: inside protected ground it is marked, before and after alike.
    const e = fp.entries.get(dirRel)
    if (e) e.unreadable = true
  }
}

/** What changed among the entries that existed before. New entries are not losses and are ignored. */
export function diffFingerprints(before: Fingerprint, after: Fingerprint): { missing: string[]; changed: FpChange[] } {
  const missing: string[] = []
  const changed: FpChange[] = []
  for (const [path, b] of before.entries) {
    const a = after.entries.get(path)
    if (!a) {
      missing.push(path)
      continue
    }
    const what: string[] = []
    if (a.kind !== b.kind) what.push(`type ${b.kind} -> ${a.kind}`)
    if (a.ino !== b.ino) what.push('inode')
    if (a.size !== b.size) what.push(`size ${b.size} -> ${a.size}`)
    if (a.mtimeMs !== b.mtimeMs) what.push('mtime')
    if (a.link !== b.link) what.push('link target')
    if (what.length > 0) changed.push({ path, what: what.join(', ') })
  }
  return { missing, changed }
}
