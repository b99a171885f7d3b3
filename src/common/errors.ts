/** Errors that carry a stable code and a one-line message: what was refused, why, and the fix. */
export interface CodedError extends Error {
  code: string
}

export function fail(code: string, message: string): CodedError {
  return Object.assign(new Error(message), { code })
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * A path as one shell word an operator can paste: never expanded ($(), backticks, globs), never read
 * as an option (a leading dash gets ./), control characters spelled out in bash's $'...' form.
 */
export function shellWord(path: string): string {
  const s = path.startsWith('-') ? `./${path}` : path
  if (/^[\w./@%+=:,-]+$/.test(s)) return s
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f-\x9f]/.test(s)) return `'${s.replace(/'/g, `'\\''`)}'`
  // eslint-disable-next-line no-control-regex
  const escaped = s.replace(/[\\'\x00-\x1f\x7f-\x9f]/g, (c) => {
    if (c === '\\' || c === "'") return `\\${c}`
    if (c === '\n') return '\\n'
    if (c === '\t') return '\\t'
    const n = c.charCodeAt(0)
    return n < 0x80 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`
  })
  return `$'${escaped}'`
}

/** A permission error (EACCES, EPERM): what a root pass could get past, unless a flag caused it. */
export function isPermissionCode(code: string): boolean {
  return code === 'EACCES' || code === 'EPERM'
}

/** What an operator can do about a filesystem error code (the seed's "Error Recovery"); paths are root-relative. */
export function recoveryHint(code: string, path: string): string {
  const p = shellWord(path)
  const dir = shellWord(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.')
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `check ownership and permissions (ls -ld ${dir} ${p}; lsattr -d ${p} for the immutable flag), then rerun as the owner, or let the privileged pass finish it (privileged: sudo or container); paths are relative to the root`
    case 'EBUSY':
      return `something is using ${p} (a mount or an open handle): stop it (docker compose down, umount) and rerun`
    case 'EROFS':
      return `${p} is on a read-only filesystem: remount it read-write or drop it from ephemeral`
    case 'ENOTEMPTY':
      return `a process kept writing into ${p}: stop it (docker compose down) and rerun`
    case 'EXDEV':
      return `${p} is a mount point: unmount it first; safe-purge never crosses into another filesystem`
    case 'ECHANGED':
      return `${p} changed while it was being purged: rerun with dry-run to review, then purge again`
    case 'EREFUSED':
      return `check ${p} with ls -la: safe-purge never follows a link out of a target`
    default:
      return `inspect ${p} (ls -la), fix the cause, then rerun with dry-run to check what is left`
  }
}
