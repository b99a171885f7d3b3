/**
 * Signals at a point of a run's own choosing, not the test's timing: the run is frozen (SIGSTOP,
 * every thread seen stopped in /proc), the test proves where it stands from the filesystem, sends
 * its signals, and thaws it (SIGCONT). Signals sent to a stopped process wait and are delivered
 * together when it resumes, so "SIGINT then SIGTERM in the middle of the purge" is certain, not
 * a race between the purge and the test's reaction to a log line.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawn } from 'node:child_process'

function allStopped(pid: number): boolean {
  const tasks = fs.readdirSync(`/proc/${pid}/task`)
  return tasks.every((t) => {
    // state is the field after the parenthesized command (which may itself hold spaces or parens)
    const stat = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8')
    return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0])
  })
}

/** Stops `pid` and returns once every thread of it is stopped (so the tree below no longer changes). */
export async function freeze(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP')
  while (!allStopped(pid)) await new Promise((r) => setTimeout(r, 1))
}

export function thaw(pid: number): void {
  process.kill(pid, 'SIGCONT')
}

/** Entries below `dir` (0 when it is gone). */
export function countEntries(dir: string): number {
  let n = 0
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return 0
  }
  for (const name of names) {
    n++
    const p = path.join(dir, name)
    if (fs.lstatSync(p).isDirectory()) n += countEntries(p)
  }
  return n
}

/** The env that makes a run stop itself mid-purge, after `entries` entries (the engine's test seam). */
export function stopAfter(entries: number): Record<string, string> {
  return { SAFE_PURGE_TEST_STOP_AFTER_ENTRIES: String(entries) }
}

/**
 * Waits until a run started with stopAfter() has stopped itself (every thread stopped), then
 * proves the purge of `dir` is not finished: entries are left in it. Returns how many.
 */
export async function stoppedMidPurge(pid: number, dir: string, timeoutMs = 60000): Promise<number> {
  const end = Date.now() + timeoutMs
  for (;;) {
    let stopped: boolean
    try {
      stopped = allStopped(pid)
    } catch {
      throw new Error(`process ${pid} ended before it stopped itself mid-purge`)
    }
    if (stopped) break
    if (Date.now() > end) throw new Error(`process ${pid} did not stop itself within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 5))
  }
  const left = countEntries(dir)
  if (left === 0) throw new Error(`the run stopped after it had purged ${dir}, not in the middle`)
  return left
}

/**
 * Sends `sig` to `pid` over and over until it is gone, from a process of its own (the test's
 * event loop must stay free to reap it): whatever moment of its exit a signal could hit, one does.
 * Resolves when the sender stops.
 */
export function flood(pid: number, sig: 'TERM' | 'INT'): Promise<void> {
  const sender = spawn('bash', ['-c', `while kill -${sig} ${pid} 2>/dev/null; do :; done`], { stdio: 'ignore' })
  return new Promise((resolve) => sender.on('close', () => resolve()))
}
