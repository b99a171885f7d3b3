/**
 * Removals on the thread pool, so that several unlinks wait on a cold disk at once: each stays
 * anchored to the opened directory (its fd, or /proc/self/fd/N), never to a path.
 */
import fs from 'node:fs'
import { errnoError } from './native.js'
import { fastPath, anchorMode, nameBytes, unlinkAt, type Anchor, type Name } from './anchor.js'

/**
 * Unlinks `name` in `dir` on the thread pool, so that several removals wait on a cold disk at
 * once. On Linux it goes through /proc/self/fd/N/name (the working directory cannot anchor
 * work done on other threads); the fallback unlinks synchronously, relative to the working
 * directory.
 */
export function unlinkAtAsync(dir: Anchor, name: Name): Promise<void> {
  if (anchorMode() !== 'proc') {
    try {
      unlinkAt(dir, name)
      return Promise.resolve()
    } catch (err) {
      return Promise.reject(err)
    }
  }
  const path = Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), nameBytes(name)])
  return new Promise((resolve, reject) => fs.unlink(path, (err) => (err ? reject(err) : resolve())))
}
/**
 * Unlinks `names` (none of them a directory) in `dir` as one unlinkat batch on the thread pool,
 * relative to the directory fd, which the caller keeps open until the promise settles. Resolves to
 * one error (or null) per name. Only with the native helper (the walk batches only then).
 */
export async function unlinkBatchAt(dir: Anchor, names: Name[]): Promise<(NodeJS.ErrnoException | null)[]> {
  const h = fastPath()
  if (h === null) throw new Error('internal error: unlink batches need the native helper')
  const joined = names.every((n) => typeof n === 'string')
    ? Buffer.from(`${names.join('\0')}\0`)
    : Buffer.concat(names.flatMap((n) => [nameBytes(n), NUL]))
  const errs = await h.unlinkBatch(dir.fd, joined, true)
  return names.map((n, i) => (errs[i] === 0 ? null : errnoError(errs[i], 'unlink', n.toString('utf8'))))
}

const NUL = Buffer.alloc(1)
