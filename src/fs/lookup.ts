/**
 * Finding a target from the root without following any link: each parent is opened with
 * O_NOFOLLOW in turn, and a directory opened after an lstat is proved to be the node that was seen.
 */
import type fs from 'node:fs'
import { fail } from '../common/errors.js'
import { lstatAt, sameNode, type Anchor, type Name, type NodeId } from './anchor.js'
import { kindOf, type Kind } from './entries.js'

/**
 * Opens the directory `name` in `parent` and proves it is the node `expected` describes
 * (a swap between lstat and open is caught here). Throws ECHANGED when it is not.
 */
export function openCheckedDir(parent: Anchor, name: Name, expected: NodeId): Anchor {
  const dir = parent.openChild(name)
  if (!sameNode(dir, expected)) {
    dir.close()
    throw fail('ECHANGED', 'directory was replaced between check and open')
  }
  return dir
}

export interface ResolvedTarget {
  /** The target's parent directory, open; the caller closes it. */
  parent: Anchor
  name: Name
  st: fs.Stats
  kind: Kind
}

export type TargetLookup =
  | { found: true; target: ResolvedTarget }
  | { found: false; missing: boolean; reason: string }

/**
 * Walks `rel` segment by segment from the root without following any link or crossing a mount, so
 * a parent that is a symlink (e.g. `data -> /elsewhere` for `data/redis`) or a bind mount refuses
 * the target instead of leaving root.
 */
export function lookupTarget(root: Anchor, rel: string): TargetLookup {
  const segments = rel.split('/')
  let dir = root
  const opened: Anchor[] = []
  try {
    for (let i = 0; i < segments.length - 1; i++) {
      try {
        dir = dir.openChild(Buffer.from(segments[i]))
        opened.push(dir)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'ENOENT') return { found: false, missing: true, reason: 'does not exist' }
        const parent = segments.slice(0, i + 1).join('/')
        if (code === 'ENOTDIR' || code === 'ELOOP') {
          return { found: false, missing: false, reason: `parent ${JSON.stringify(parent)} is a link or not a directory; links are never followed` }
        }
        return { found: false, missing: false, reason: `cannot open parent ${JSON.stringify(parent)}: ${code ?? err}` }
      }
      // A parent on another mount (a bind mount of a folder outside the root) would put the target
      // outside the root: refused, as a target that is itself a mount point is.
      if (!root.sameMount(dir)) {
        const parent = segments.slice(0, i + 1).join('/')
        return { found: false, missing: false, reason: `parent ${JSON.stringify(parent)} is a mount point (another filesystem or a bind mount), and safe-purge never crosses mounts` }
      }
    }
    const name = Buffer.from(segments[segments.length - 1])
    let st: fs.Stats
    try {
      st = lstatAt(dir, name)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return { found: false, missing: true, reason: 'does not exist' }
      return { found: false, missing: false, reason: `cannot inspect it: ${code ?? err}` }
    }
    const parent = opened.length > 0 ? (opened.pop() as Anchor) : root.openChild(Buffer.from('.'))
    return { found: true, target: { parent, name, st, kind: kindOf(st) } }
  } finally {
    for (const o of opened) o.close()
  }
}
