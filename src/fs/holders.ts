/**
 * Which running processes hold regular files open, read from /proc (Linux only).
 *
 * Why: an unlinked file keeps its blocks for as long as a process holds it open, so purging a
 * log a running service still writes frees nothing (measured: a 286 MiB log, 3.6 MB gained).
 * The executor truncates such a file in place instead (truncate.ts), unless a process maps it:
 * truncating a mapped file kills that process with SIGBUS when it next touches the mapping.
 *
 * How: each process's file descriptors (a stat of /proc/<pid>/fd/<n> follows the magic link to the
 * open file, unlinked or not, and gives its device+inode without opening anything) and its file
 * mappings (/proc/<pid>/maps). Only files on the devices asked about are recorded: every deletion
 * is on the root's filesystem, since mounts are never crossed.
 *
 * Quirks: processes come and go during the scan (ENOENT/ESRCH are normal); another user's fd and
 * maps are unreadable without privilege (EACCES), so such processes are counted, never guessed at;
 * kernel threads hold no files and are skipped. This process is skipped too: the purge holds
 * only directories open (its anchors) and never a file it deletes. Without /proc nothing is
 * found, and files are unlinked as before.
 */
import fs from 'node:fs'
import type { NodeId } from './anchor.js'

export interface Holder {
  pid: number
  /** /proc/<pid>/comm: the process's name as the kernel has it (15 bytes at most; escape it to show it). */
  command: string
}

export interface HeldFile {
  holders: Holder[]
  /** A holder maps it into memory (truncating it would kill that process with SIGBUS). */
  mapped: boolean
}

/** How many processes could not be inspected, and a few of them, for a warning. */
export interface Uninspected {
  count: number
  sample: Holder[]
}

const SAMPLE = 10
const PF_KTHREAD = 0x00200000

const keyOf = (n: NodeId): string => `${n.dev}:${n.ino}`

/** Regular files held open by running processes, by device+inode. */
export class HeldFiles {
  private constructor(
    private readonly files: Map<string, HeldFile>,
    /** False where /proc could not be listed: nothing is known about open files. */
    readonly available: boolean,
    readonly uninspected: Uninspected
  ) {}

  /** Nothing held (what a run that does not look assumes). */
  static none(): HeldFiles {
    return new HeldFiles(new Map(), true, { count: 0, sample: [] })
  }

  /** These nodes, as if held by no one in particular (verification: files the purge truncated). */
  static of(nodes: Iterable<NodeId>): HeldFiles {
    const files = new Map<string, HeldFile>()
    for (const n of nodes) files.set(keyOf(n), { holders: [], mapped: false })
    return new HeldFiles(files, true, { count: 0, sample: [] })
  }

  /**
   * Scans /proc once: every regular file on one of `devices` that another process holds open (a
   * file descriptor) or maps. `mapsReliable` false (overlayfs, btrfs: /proc/<pid>/maps may name
   * another device or inode than stat does) counts every held file as mapped: a mapping that could
   * not be seen must not be truncated under its process, so such files are unlinked as before.
   */
  static scan(devices: Iterable<number>, mapsReliable = true): HeldFiles {
    const devs = new Set(devices)
    const mapDevs = new Set([...devs].map(mapsDevice))
    const files = new Map<string, HeldFile>()
    const uninspected: Uninspected = { count: 0, sample: [] }
    if (devs.size === 0) return new HeldFiles(files, true, uninspected)
    const listed = eachProcess(
      (pid, base, fds) => {
        const seen = new Map<string, boolean>()
        for (const fd of fds) {
          let st: fs.Stats | undefined
          try {
            st = fs.statSync(`${base}/fd/${fd}`, { throwIfNoEntry: false })
          } catch {
            continue // closed or unreadable meanwhile
          }
          if (st === undefined || !st.isFile() || !devs.has(st.dev)) continue
          const key = keyOf(st)
          if (!seen.has(key)) seen.set(key, false)
        }
        for (const key of mappedFiles(base, mapDevs)) seen.set(key, true)
        if (seen.size === 0) return
        const holder = { pid, command: commandOf(base) }
        for (const [key, mapped] of seen) {
          const f = files.get(key)
          if (f === undefined) files.set(key, { holders: [holder], mapped: mapped || !mapsReliable })
          else {
            f.holders.push(holder)
            f.mapped ||= mapped
          }
        }
      },
      (pid, base) => {
        uninspected.count++
        if (uninspected.sample.length < SAMPLE) uninspected.sample.push({ pid, command: commandOf(base) })
      }
    )
    return new HeldFiles(files, listed, uninspected)
  }

  /** Who holds this node open, or undefined when no inspected process does. */
  get(node: NodeId): HeldFile | undefined {
    return this.files.size === 0 ? undefined : this.files.get(keyOf(node))
  }

  /** How many held files are known. */
  get size(): number {
    return this.files.size
  }
}

/**
 * The device+inode keys of files on `mapDevs` that the process maps. Lines of maps read
 * `start-end perms offset MM:mm inode path`, the device in hex as the kernel prints it.
 */
function mappedFiles(base: string, mapDevs: ReadonlySet<string>): string[] {
  let text: string
  try {
    text = fs.readFileSync(`${base}/maps`, 'latin1')
  } catch {
    return [] // gone, or unreadable: its fds were readable, so this is a race with its exit
  }
  const out: string[] = []
  for (const line of text.split('\n')) {
    const f = line.split(/\s+/, 5)
    if (f.length < 5 || f[4] === '0' || !mapDevs.has(f[3])) continue
    const [major, minor] = f[3].split(':').map((h) => parseInt(h, 16))
    out.push(`${deviceNumber(major, minor)}:${f[4]}`)
  }
  return out
}

/** st_dev as glibc encodes it (makedev), from the major and minor numbers. */
function deviceNumber(major: number, minor: number): number {
  return Number((BigInt(major & 0xfff) << 8n) | (BigInt(major >>> 12) << 44n) | BigInt(minor & 0xff) | (BigInt(minor >>> 8) << 20n))
}

/** A device number as /proc/<pid>/maps prints it: "%02x:%02x" of its major and minor. */
function mapsDevice(dev: number): string {
  const d = BigInt(dev)
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & 0xfffff000n))
  const minor = Number((d & 0xffn) | ((d >> 12n) & 0xffffff00n))
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`
}

function commandOf(base: string): string {
  try {
    return fs.readFileSync(`${base}/comm`, 'utf8').replace(/\n$/, '')
  } catch {
    return '?'
  }
}

/** Kernel threads (PF_KTHREAD in /proc/<pid>/stat's flags, field 9) hold no files. */
function isKernelThread(base: string): boolean {
  try {
    const stat = fs.readFileSync(`${base}/stat`, 'latin1')
    // The command (field 2) may hold spaces and parentheses: count fields after its closing one.
    const flags = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6])
    return (flags & PF_KTHREAD) !== 0
  } catch {
    return false
  }
}

/** statfs types whose /proc/<pid>/maps entries may not match stat's device and inode. */
const MAPS_UNRELIABLE = new Set<number>([0x794c7630 /* overlayfs */, 0x9123683e /* btrfs */])

/** Whether mappings of files on the filesystem holding `path` can be matched by device and inode. */
export function mapsReliableAt(path: string): boolean {
  try {
    return !MAPS_UNRELIABLE.has(fs.statfsSync(path).type)
  } catch {
    return false
  }
}

/**
 * Processes using something under one of `dirs` (absolute paths): an open file, their working
 * directory or root, by the path /proc shows for it. Strategy move asks this before renaming a
 * target aside: such a process would keep writing into the trash, so that target is purged in
 * place (its held files truncated) instead. Processes that cannot be inspected are counted.
 */
export function usersUnder(dirs: readonly string[]): { users: Map<string, Holder[]>; uninspected: number } {
  const users = new Map<string, Holder[]>()
  let uninspected = 0
  if (dirs.length === 0) return { users, uninspected }
  const within = (p: string): string | undefined => dirs.find((d) => p === d || p.startsWith(`${d}/`))
  eachProcess(
    (pid, base, fds) => {
      const hits = new Set<string>()
      for (const link of ['cwd', 'root', ...fds.map((fd) => `fd/${fd}`)]) {
        try {
          const d = within(fs.readlinkSync(`${base}/${link}`).replace(/ \(deleted\)$/, ''))
          if (d !== undefined) hits.add(d)
        } catch {
          // closed meanwhile
        }
      }
      for (const d of hits) users.set(d, [...(users.get(d) ?? []), { pid, command: commandOf(base) }])
    },
    () => uninspected++
  )
  return { users, uninspected }
}

/**
 * Visits every other process with the names of its open fds. A process whose fds cannot be listed
 * (another user's, without root) goes to `uninspectable`; kernel threads and processes gone
 * meanwhile are skipped. False when /proc cannot be listed at all.
 */
function eachProcess(visit: (pid: number, base: string, fds: string[]) => void, uninspectable: (pid: number, base: string) => void): boolean {
  let pids: string[]
  try {
    pids = fs.readdirSync('/proc').filter((n) => /^[1-9]\d*$/.test(n))
  } catch {
    return false
  }
  for (const name of pids) {
    const pid = Number(name)
    if (pid === process.pid) continue
    const base = `/proc/${name}`
    let fds: string[]
    try {
      fds = fs.readdirSync(`${base}/fd`)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ESRCH' && !isKernelThread(base)) uninspectable(pid, base)
      continue
    }
    visit(pid, base, fds)
  }
  return true
}
