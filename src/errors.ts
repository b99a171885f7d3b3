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

/** What an operator can do about a filesystem error code (the seed's "Error Recovery"). */
export function recoveryHint(code: string, path: string): string {
  const p = JSON.stringify(path)
  const dir = JSON.stringify(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.')
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `check ownership and permissions of the entry and its directory (ls -ld ${dir} ${p}; lsattr -d ${p} for the immutable flag), then rerun as the owner or with sudo`
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
