/**
 * Free space as the filesystem reports it (statfs): what a user can still write (f_bavail, the
 * blocks left to unprivileged users, times the block size). A purge's real gain is this number
 * after minus before: unlinked files a process still holds free nothing, truncated ones do.
 */
import fs from 'node:fs'
import { anchorMode, type Anchor } from './anchor.js'

/**
 * Free bytes on the filesystem holding `where`: an opened directory (through /proc/self/fd on
 * Linux, so a path swapped since it was opened cannot point the measure elsewhere), or a path.
 */
export function freeBytes(where: Anchor | string): number {
  const path = typeof where === 'string' ? where : anchorMode() === 'proc' ? `/proc/self/fd/${where.fd}` : where.path.toString('utf8')
  const st = fs.statfsSync(path, { bigint: true })
  return Number(st.bavail * st.bsize)
}
