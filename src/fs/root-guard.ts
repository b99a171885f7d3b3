/**
 * Refuses roots that no purge should ever run in: '/', the user's home (and any directory that
 * contains it), and system directories. Comparison is by device + inode after resolving links,
 * never by string, so '//', '/etc/..', a symlink to '/' or a bind mount of it are all caught.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fail } from '../common/errors.js'
import { ACTION_NAMES, type OptionNames } from '../common/options.js'
import { Anchor, sameNode, type NodeId } from './anchor.js'

export const SYSTEM_DIRS: readonly string[] = [
  '/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/media', '/mnt',
  '/opt', '/proc', '/root', '/run', '/sbin', '/snap', '/srv', '/sys', '/tmp', '/usr', '/usr/bin',
  '/usr/lib', '/usr/local', '/usr/local/bin', '/usr/sbin', '/usr/share', '/var', '/var/lib', '/var/log',
  '/var/tmp', '/var/run', '/private', '/Users', '/System', '/Library', '/Applications'
]

export interface RootInfo {
  /** Resolved absolute path (links resolved). */
  path: string
  /** The root folder's name, what `confirm` must equal. */
  name: string
  dev: number
  ino: number
}

export interface GuardEnv {
  cwd: string
  /** Home directories to refuse (HOME and the account's home). */
  homes: readonly string[]
}

export function defaultGuardEnv(env: NodeJS.ProcessEnv = process.env): GuardEnv {
  const homes = [os.homedir(), env.HOME ?? ''].filter((h) => h !== '')
  return { cwd: process.cwd(), homes }
}

function nodeOf(p: string): NodeId | null {
  try {
    const st = fs.statSync(p)
    return { dev: st.dev, ino: st.ino }
  } catch {
    return null
  }
}

export function guardRoot(input: string, genv: GuardEnv, names: OptionNames = ACTION_NAMES): RootInfo {
  const fix = `set ${names('root')} to the environment directory`
  if (input.includes('\0')) throw fail('ERR_ROOT_INVALID', `root contains a NUL byte: ${fix}`)
  if (input.trim() === '') {
    throw fail('ERR_ROOT_EMPTY', `root is empty: ${fix} (it is never guessed from the current directory)`)
  }
  const abs = path.resolve(genv.cwd, input)
  let real: string
  try {
    real = fs.realpathSync(abs)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw fail('ERR_ROOT_MISSING', `root ${JSON.stringify(input)} does not exist (${code}): set ${names('root')} to an existing directory`)
  }
  const st = fs.statSync(real)
  if (!st.isDirectory()) throw fail('ERR_ROOT_NOT_DIR', `root ${JSON.stringify(input)} is not a directory: ${fix}`)
  const me: NodeId = { dev: st.dev, ino: st.ino }

  for (const sys of SYSTEM_DIRS) {
    const n = nodeOf(sys)
    if (n && sameNode(n, me)) {
      throw fail('ERR_ROOT_IS_SYSTEM', `refusing root ${JSON.stringify(input)}: it is the system directory ${sys}; ${fix}`)
    }
  }
  for (const home of genv.homes) {
    // The home directory itself and every directory above it.
    for (let p = path.resolve(home); ; p = path.dirname(p)) {
      const n = nodeOf(p)
      if (n && sameNode(n, me)) {
        throw fail('ERR_ROOT_IS_HOME', `refusing root ${JSON.stringify(input)}: it is or contains the home directory ${home}; ${fix}`)
      }
      if (p === path.dirname(p)) break
    }
  }
  return { path: real, name: path.basename(real), dev: me.dev, ino: me.ino }
}

/** Opens the guarded root and checks it is still the node that was guarded. */
export function openRoot(root: RootInfo): Anchor {
  const dir = Anchor.open(root.path)
  if (!sameNode(dir, root)) {
    dir.close()
    throw fail('ERR_ROOT_CHANGED', `root ${root.path} changed while it was being checked: rerun`)
  }
  return dir
}
