/**
 * One purge per root at a time: an O_EXCL lock file in the root, created through the root's fd.
 * A lock whose process is gone (same host) is stale and taken over; a live one refuses with the
 * holder's pid and start time.
 */
import fs from 'node:fs'
import os from 'node:os'
import { unlinkAt, type Anchor } from './fsat.js'
import { fail } from './errors.js'

export const LOCK_FILE = '.safe-purge.lock'

interface Holder {
  pid: number
  host: string
  startedAt: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(root: Anchor): Holder | null {
  try {
    return JSON.parse(fs.readFileSync(root.child(Buffer.from(LOCK_FILE)), 'utf8')) as Holder
  } catch {
    return null
  }
}

/** Takes the lock or throws ERR_LOCKED. Returns the release function; `warn` hears of stale locks. */
export function acquireLock(root: Anchor, rootPath: string, warn: (line: string) => void): () => void {
  const me: Holder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(root.child(Buffer.from(LOCK_FILE)), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644)
      fs.writeSync(fd, JSON.stringify(me))
      fs.closeSync(fd)
      return () => {
        const holder = readHolder(root)
        if (holder?.pid === me.pid && holder.host === me.host) {
          try {
            unlinkAt(root, Buffer.from(LOCK_FILE))
          } catch {
            // already gone: nothing to release
          }
        }
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') {
        warn(`could not take the lock ${rootPath}/${LOCK_FILE} (${code}); going on without it`)
        return () => {}
      }
      const holder = readHolder(root)
      if (holder && (holder.host !== me.host || alive(holder.pid))) {
        throw fail('ERR_LOCKED', `another safe-purge (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) is purging ${rootPath}: wait for it, or delete ${rootPath}/${LOCK_FILE} if that process is gone`)
      }
      warn(`removing a stale lock ${rootPath}/${LOCK_FILE} (${holder ? `pid ${holder.pid} is gone` : 'unreadable'})`)
      try {
        unlinkAt(root, Buffer.from(LOCK_FILE))
      } catch {
        // someone else removed it first; retry the create
      }
    }
  }
  throw fail('ERR_LOCKED', `could not take the lock ${rootPath}/${LOCK_FILE}: another safe-purge is starting; rerun in a moment`)
}
