/**
 * One purge per root at a time: a lock file in the root, reached through the root's open
 * directory. It is created complete and atomically (written to a private file, then hard-linked
 * to the lock name, which fails if the lock exists), so nobody ever reads a half-written lock.
 * A lock whose process is gone (same host) is stale: it is unlinked only if it is still the very
 * file that was read (same inode), and the lock is then taken by link again, so of two takers at
 * most one gets it, unless both pass the inode check in the same instant (see SECURITY.md).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import { unlinkAt, type Anchor } from '../fs/anchor.js'
import { fail } from '../common/errors.js'
import { LOCK_FILE } from './policy.js'

export { LOCK_FILE }
import { oneLine, showPath } from '../common/text.js'
import { readHeld, unlinkIfSame } from './held-file.js'

const LOCK = Buffer.from(LOCK_FILE)

interface Holder {
  pid: number
  host: string
  startedAt: string
  token: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(root: Anchor): (Holder & { ino?: number }) | 'missing' | 'unreadable' {
  const held = readHeld(root, LOCK_FILE)
  if (typeof held === 'string') return held
  try {
    const h = JSON.parse(held.text) as Holder
    return typeof h.pid === 'number' && typeof h.token === 'string' ? { ...h, ino: held.ino } : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

/** Takes the lock or throws ERR_LOCKED. Returns the release function; `warn` hears of stale locks. */
export function acquireLock(root: Anchor, rootPath: string, warn: (line: string) => void): () => void {
  const me: Holder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), token: crypto.randomUUID() }
  const shown = `${showPath(rootPath)}/${LOCK_FILE}`
  const mine = Buffer.from(`${LOCK_FILE}.${me.token}`)
  const release = (): void => {
    const h = readHolder(root)
    if (typeof h === 'object' && h.token === me.token) {
      try {
        unlinkAt(root, LOCK)
      } catch {
        // already gone: nothing to release
      }
    }
  }
  try {
    fs.writeFileSync(root.child(mine), JSON.stringify(me), { flag: 'wx', mode: 0o644 })
  } catch (err) {
    warn(`could not take the lock ${shown} (${(err as NodeJS.ErrnoException).code}); going on without it`)
    return () => {}
  }
  try {
    const link = (): boolean => {
      try {
        fs.linkSync(root.child(mine), root.child(LOCK))
        return true
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        return false
      }
    }
    if (link()) return release
    const holder = readHolder(root)
    if (holder === 'unreadable') {
      throw fail('ERR_LOCKED', `the lock ${shown} exists but cannot be read: if no other safe-purge is running, delete it and rerun`)
    }
    if (holder !== 'missing' && (holder.host !== me.host || alive(holder.pid))) {
      throw fail('ERR_LOCKED', `another safe-purge (pid ${oneLine(String(holder.pid))} on ${oneLine(String(holder.host))}, since ${oneLine(String(holder.startedAt))}) is purging ${showPath(rootPath)}: wait for it, or delete ${shown} if that process is gone`)
    }
    if (holder !== 'missing') {
      warn(`removing a stale lock ${shown} (pid ${holder.pid} is gone)`)
      if (holder.ino !== undefined) unlinkIfSame(root, LOCK_FILE, holder.ino)
    }
    if (link()) return release
    throw fail('ERR_LOCKED', `another safe-purge took the lock ${shown} at the same moment: wait for it and rerun`)
  } finally {
    try {
      unlinkAt(root, mine)
    } catch {
      // renamed into the lock, or never created
    }
  }
}
