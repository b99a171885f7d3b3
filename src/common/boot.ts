/** This boot of the machine (Linux's boot id): a pid, or a claim, from another boot is not this one's. */
import fs from 'node:fs'

export function bootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null
  } catch {
    return null
  }
}
