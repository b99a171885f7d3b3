/**
 * The CLI with --strategy move: it returns once the targets are moved and verified, a detached
 * process of its own deletes the trash at the lowest priority, and --status says how that goes.
 * A background deletion that is killed leaves the trash to the next run, which deletes it first.
 */
import fs from 'node:fs'
import path from 'node:path'
import { runCli } from '../helpers/cli.js'
import { makeEnv, removeDir, snapshot, survivors, exists, purgeable, trashRuns as allRuns, MT5_TARGETS, TRASH, type Snap } from '../helpers/tree.js'
import { stopAfter, stoppedMidPurge } from '../helpers/signals.js'

const TARGETS = MT5_TARGETS

let base: string
let root: string
let before: Map<string, Snap>
beforeEach(() => {
  ;({ base, root } = makeEnv())
  before = snapshot(root)
})
afterEach(() => removeDir(base))

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

interface Status {
  running: { run: string; pid: number }[]
  leftover: string[]
  finished: { run: string; ok: boolean; role: string; totals: { files: number } }[]
  exitCode: number
}

function status(): Status {
  const r = runCli(['--root', root, '--status', '--json'])
  if (r.stderr !== '') throw new Error(`--status wrote to stderr (exit ${r.status}): ${r.stderr}`)
  return JSON.parse(r.stdout) as Status
}

/** Polls --status until no deletion runs (the background process has finished). */
async function settled(): Promise<Status> {
  const end = Date.now() + 30000
  for (;;) {
    const s = status()
    if (s.exitCode !== 3) return s
    if (Date.now() > end) throw new Error(`the background deletion did not finish within 30 s: ${JSON.stringify(s.running)}`)
    await sleep(50)
  }
}

const trashRuns = (): string[] => allRuns(root)

test('--strategy move returns with the targets clean; the trash is deleted in the background; --status reports it', async () => {
  const r = runCli(['--root', root, '-y', '--docker', 'off', '--strategy', 'move', '--remove-target-dirs', '--json'])
  expect(r.status).toBe(0)
  const rep = JSON.parse(r.stdout) as { verified: boolean; trash: { moved: string[]; pending: boolean; run: string }; background: { pid: number | null } }
  expect(rep.verified).toBe(true)
  expect(rep.trash.moved.sort()).toEqual([...TARGETS].sort())
  expect(rep.trash.pending).toBe(true)
  expect(rep.background.pid).toEqual(expect.any(Number))
  expect(r.stderr).toMatch(/deleting the trash in the background \(pid \d+, lowest priority\); see safe-purge --status/)
  for (const t of TARGETS) expect(exists(path.join(root, t))).toBe(false)
  const s = await settled()
  expect(s.exitCode).toBe(0)
  expect(s.finished.at(-1)).toMatchObject({ run: rep.trash.run, ok: true, role: 'background', totals: { files: 6 } })
  expect(trashRuns()).toEqual([])
  const text = runCli(['--root', root, '--status'])
  expect(text.status).toBe(0)
  expect(text.stdout).toMatch(new RegExp(`^done: trash ${rep.trash.run} \\(background\\), finished .*: 6 file\\(s\\)`, 'm'))
  expect(survivors(before, snapshot(root), (rel) => !purgeable(rel))).toEqual([])
})

test('--status where no trash was ever made: says so, exit 0', () => {
  const r = runCli(['--root', root, '--status'])
  expect(r.status).toBe(0)
  expect(r.stdout).toMatch(/the trash is empty: no deletion running, none recorded/)
})

test('a killed background deletion: --status says the trash was left (exit 1), the next run deletes it first', async () => {
  const r = runCli(['--root', root, '-y', '--docker', 'off', '--strategy', 'move', '--remove-target-dirs', '--json'], { env: stopAfter(3) })
  expect(r.status).toBe(0)
  const rep = JSON.parse(r.stdout) as { trash: { run: string }; background: { pid: number } }
  const pid = rep.background.pid
  await stoppedMidPurge(pid, path.join(root, TRASH, rep.trash.run))
  // It runs at the lowest CPU priority (nice 19: /proc/<pid>/stat's 19th field).
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  expect(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]).toBe('19')
  expect(status().exitCode).toBe(3)
  process.kill(pid, 'SIGKILL')
  // Gone, or a zombie no one reaped yet: either way no longer running.
  const running = (): boolean => {
    try {
      return !/\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
    } catch {
      return false
    }
  }
  for (let i = 0; i < 500 && running(); i++) await sleep(10)
  if (running()) throw new Error(`process ${pid} still runs 5 s after SIGKILL`)
  const s = status()
  expect(s.exitCode).toBe(1)
  expect(s.leftover).toEqual([rep.trash.run])
  expect(runCli(['--root', root, '--status']).stdout).toMatch(/^left: trash .* the next run deletes it first/m)
  const next = runCli(['--root', root, '-y', '--docker', 'off', '--json'])
  expect(next.status).toBe(0)
  const nrep = JSON.parse(next.stdout) as { trash: { leftovers: { run: string; ok: boolean }[] } }
  expect(nrep.trash.leftovers).toEqual([expect.objectContaining({ run: rep.trash.run, ok: true })])
  expect(next.stderr).toMatch(/left by an earlier run: deleted/)
  expect(trashRuns()).toEqual([])
  expect(survivors(before, snapshot(root), (rel) => !purgeable(rel))).toEqual([])
})

test('--help names --strategy, --trash and --status; a bad --strategy is refused', () => {
  const h = runCli(['--help'])
  expect(h.stdout).toMatch(/--strategy MODE/)
  expect(h.stdout).toMatch(/--trash WHEN/)
  expect(h.stdout).toMatch(/--status/)
  const bad = runCli(['--root', root, '--strategy', 'fast', '--dry-run'])
  expect(bad.status).toBe(2)
  expect(bad.stderr).toMatch(/--strategy must be purge or move, got "fast"/)
})
