/**
 * Loads the native helper (addon/fsat.c, built into dist/native/): a directory scan that lstat's
 * each entry relative to the directory's fd, batched unlinkat(fd, name) on the thread pool, one
 * entry's owner and immutable/append-only flags (which only statx reports; Node has no statx),
 * renameat2 between two directory fds, a names-only look through a whole tree for what must stay,
 * and a directory's owner, mode and ACLs copied onto another (Node has no renameat or xattrs).
 * They work only on directory fds the engine opened with O_NOFOLLOW, so they keep every
 * anchoring rule (see fsat.ts) without the working-directory detour, and cost a C loop instead of
 * one JavaScript call per entry.
 *
 * It is optional: when the binary is missing or does not load (another platform or CPU, an old
 * libc), or SAFE_PURGE_NATIVE=0 is set, the engine uses its JavaScript path, which is equally safe
 * and slower. `nativeStatus()` says which is in use and why.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import util from 'node:util'
import { fileURLToPath } from 'node:url'

export interface NativeHelper {
  /**
   * One batch of the directory's entries (lstat'ed when `withStat`, else only their d_type):
   * null at the end, a number (errno) on error. `async` runs it on the thread pool; `restart`
   * (the first call of every listing) starts from the first entry.
   */
  scan(fd: number, withStat: boolean, async: false, restart: boolean): ScanResult
  scan(fd: number, withStat: boolean, async: true, restart: boolean): Promise<ScanResult>
  /** Unlinks each NUL-terminated name in `names` relative to fd: errno per name, 0 when removed. */
  unlinkBatch(fd: number, names: Buffer, async: false): Int32Array
  unlinkBatch(fd: number, names: Buffer, async: true): Promise<Int32Array>
  /**
   * The lstat of one entry name (no NUL, no slash, not . or ..) relative to directory fd, or of
   * fd itself when `name` is null: [uid, mode, flags] (flags: FLAG_* bits of flags.ts, -1 when
   * unknown), or errno.
   */
  flags(fd: number, name: Buffer | null): [uid: number, mode: number, flags: number] | number
  /**
   * renameat2(oldfd, oldname, newfd, newname, flags) between two directory fds; names as for
   * flags(); flags 0, 1 (RENAME_NOREPLACE) or 2 (RENAME_EXCHANGE). 0 or errno: EINVAL or ENOSYS
   * with a flag means the kernel or filesystem does not have it.
   */
  rename(oldfd: number, oldname: Buffer, newfd: number, newname: Buffer, flags: 0 | 1 | 2): number
  /**
   * The first entry below directory fd (never fd itself, never through a link) that must stay:
   * reason 1, its name is in `names` (any type) or in `dirNames` (a directory), compared
   * ASCII-case-insensitively; 2, a directory on another mount; 3, it cannot be opened, listed or
   * stat'ed (errno; ELOOP: 4096 levels down). Its path is relative to fd, raw bytes (empty: fd
   * itself could not be read). null: none. Both lists are lowercase names separated by NULs.
   */
  probe(fd: number, names: Buffer, dirNames: Buffer): [path: Buffer, reason: 1 | 2 | 3, errno: number] | null
  /**
   * Directory dstfd gets directory srcfd's owner, group, mode & 0o7777 and POSIX ACLs (one src
   * has not is removed from dst): 0, or the first errno (the caller undoes what was done).
   */
  cloneDirMeta(srcfd: number, dstfd: number): number
}

/** null: no more entries; a number: errno; else names, metadata and whether the directory ended. */
export type ScanResult = null | number | [Buffer, Float64Array, boolean]

/**
 * Numbers per entry in scan's metadata: name offset, name length, errno, mode, size, dev, ino,
 * uid, flags (immutable/append-only bits, -1 when unknown).
 */
export const META = 9

const FILE = `fsat-${process.platform}-${process.arch}.node`

let helper: NativeHelper | null = null
let status = 'not loaded'

function candidates(): string[] {
  // dist/index.js -> dist/native; dist/cli/index.js -> dist/native; src/fs/native.ts (tests) -> dist/native
  const here = path.dirname(fileURLToPath(import.meta.url))
  return [path.join(here, 'native', FILE), path.join(here, '..', 'native', FILE), path.join(here, '..', '..', 'dist', 'native', FILE)]
}

function load(): void {
  const setting = process.env.SAFE_PURGE_NATIVE
  if (setting === '0' || setting === 'false' || setting === 'off') {
    status = `off (SAFE_PURGE_NATIVE=${setting})`
    return
  }
  if (process.platform !== 'linux') {
    status = `not used on ${process.platform}`
    return
  }
  const file = candidates().find((f) => fs.existsSync(f))
  if (!file) {
    status = `not found (${FILE})`
    return
  }
  try {
    const mod = { exports: {} as Record<string, unknown> }
    process.dlopen(mod, file, os.constants.dlopen.RTLD_NOW)
    const e = mod.exports
    const functions = ['scan', 'unlinkBatch', 'flags', 'rename', 'probe', 'cloneDirMeta']
    if (e.abi !== 7 || functions.some((f) => typeof e[f] !== 'function')) {
      status = `${FILE} is not this version's helper`
      return
    }
    helper = mod.exports as unknown as NativeHelper
    status = 'native'
  } catch (err) {
    status = `${FILE} did not load: ${(err as Error).message.split('\n')[0]}`
  }
}

load()

/** The helper, when it is loaded; null means: use the JavaScript path. */
export function native(): NativeHelper | null {
  return helper
}

/** 'native', or why the JavaScript path is used. */
export function nativeStatus(): string {
  return status
}

const errnoNames = util.getSystemErrorMap()

/** An Error like Node's own for `errno` (code, errno, syscall), naming `what`. */
export function errnoError(errno: number, syscall: string, what: string): NodeJS.ErrnoException {
  const [code, text] = errnoNames.get(-errno) ?? [`E${errno}`, 'unknown error']
  return Object.assign(new Error(`${code}: ${text}, ${syscall} '${what}'`), { code, errno: -errno, syscall })
}
