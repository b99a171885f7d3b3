/**
 * Files that say which process holds something (the root's lock, a trash's claim): created
 * complete and atomically (written to a private file, then hard-linked to the name, which fails
 * when the name exists), so nobody reads a half-written one; read with their inode; and removed
 * as stale only while the name is still the very file that was read.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import { unlinkAt, type Anchor } from '../fs/anchor.js'

/** Creates `name` in `dir` holding `text`: false when it exists. Other errors are thrown. */
export function createComplete(dir: Anchor, name: string, text: string): boolean {
  const mine = Buffer.from(`${name}.${crypto.randomUUID()}`)
  try {
    fs.writeFileSync(dir.child(mine), text, { flag: 'wx', mode: 0o644 })
    fs.linkSync(dir.child(mine), dir.child(Buffer.from(name)))
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return false
  } finally {
    try {
      unlinkAt(dir, mine)
    } catch {
      // gone already
    }
  }
}

/** `name`'s text and inode (never read through a link), 'missing', or 'unreadable'. */
export function readHeld(dir: Anchor, name: string): { text: string; ino: number } | 'missing' | 'unreadable' {
  try {
    const fd = fs.openSync(dir.child(Buffer.from(name)), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
    try {
      return { ino: fs.fstatSync(fd).ino, text: fs.readFileSync(fd, 'utf8') }
    } finally {
      fs.closeSync(fd)
    }
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'
  }
}

/**
 * Unlinks `name` only while it is still the file with inode `ino` (a stale holder's) and, when
 * given, the same `text` (an inode number can be reused at once for a new holder's file).
 */
export function unlinkIfSame(dir: Anchor, name: string, ino: number, text?: string): void {
  try {
    const now = text === undefined ? null : readHeld(dir, name)
    if (now !== null && (typeof now === 'string' || now.text !== text)) return
    if (fs.lstatSync(dir.child(Buffer.from(name))).ino === ino) unlinkAt(dir, Buffer.from(name))
  } catch {
    // gone already
  }
}
