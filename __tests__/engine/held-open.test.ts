/**
 * The seed's scenario 3, "log explosion: reclaim disk space now, keep running". A log a running
 * process still writes is truncated where it is, so the filesystem gets the space back at once
 * and the process keeps appending to the same file; a held file that must not be truncated (it has
 * another name, maybe protected; a process maps it) is unlinked as before and reported; every
 * other file is purged as before. Real processes and files; free space measured with statfs
 * (before and after, with a wide margin: the old behaviour gains nothing). On tmpfs when /dev/shm
 * has room (quieter than the shared disk), else in the temp dir.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { Anchor, setAnchorMode } from '../../src/fs/anchor.js'
import { HeldFiles } from '../../src/fs/holders.js'
import { freeBytes } from '../../src/fs/space.js'
import { createPolicy } from '../../src/engine/policy.js'
import { scanTargets, type TargetPlan } from '../../src/engine/plan.js'
import { executePlan, type TargetOutcome } from '../../src/engine/execute.js'
import { takeFingerprint } from '../../src/engine/fingerprint.js'
import { verifyProtected } from '../../src/engine/verify.js'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, stop, survivors } from '../helpers/tree.js'
import { purge, withAnchor } from '../helpers/engine.js'

const MiB = 1024 * 1024
const BIG = 64 * MiB
const TARGETS = ['logs', 'data/redis', 'data/temp', '.docker-compose-state']
const policy = createPolicy([])

/** Appends BIG bytes, says ready, then keeps appending a line every few milliseconds (O_APPEND, as loggers do). */
const WRITER = `
  const fs = require('fs')
  const [file, mib] = process.argv.slice(1)
  const fd = fs.openSync(file, 'a')
  const chunk = Buffer.alloc(1 << 20, 'x')
  for (let i = 0; i < Number(mib); i++) fs.writeSync(fd, chunk)
  console.log('ready')
  let n = 0
  setInterval(() => fs.writeSync(fd, 'line ' + n++ + '\\n'), 5)`
/** Holds the file open for reading and does nothing else. */
const READER = `require('fs').openSync(process.argv[1], 'r'); console.log('ready'); setInterval(() => {}, 1000)`
/** Maps the file; on each line of input, touches every page and answers with the sum of their first bytes. */
const MAPPER = 'import mmap,sys\nf=open(sys.argv[1],"r+b")\nm=mmap.mmap(f.fileno(),0)\nf.close()\nprint("ready",flush=True)\nfor line in sys.stdin:\n  print("ok",sum(m[i] for i in range(0,len(m),4096)),flush=True)'

let base: string
let root: string
const children: ChildProcess[] = []
beforeEach(() => {
  base = scratchDir()
  root = path.join(base, 'env')
  fs.mkdirSync(root)
  makeTree(root, MT5_TREE)
})
afterEach(async () => {
  for (const c of children.splice(0)) await stop(c)
  if (privateFs) spawnSync('umount', [base])
  removeDir(base)
})

/**
 * True when `base` is a tmpfs of this test's own: free space is then measured on a filesystem no
 * other test writes to meanwhile (a test that fills a shared /dev/shm or /tmp would eat the
 * margin). Mounting needs root, which CI has; elsewhere the gain is checked on the file itself.
 */
let privateFs = false

function scratchDir(): string {
  if (process.getuid?.() === 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-held-'))
    privateFs = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${8 * BIG}`, 'tmpfs', dir]).status === 0
    if (privateFs) return dir
    fs.rmdirSync(dir)
  }
  try {
    const shm = fs.statfsSync('/dev/shm')
    if (shm.bavail * shm.bsize > 8 * BIG) return fs.mkdtempSync('/dev/shm/sp-held-')
  } catch {
    // no /dev/shm here
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sp-held-'))
}

/**
 * The space came back: measured with statfs on a private filesystem; elsewhere (others may write
 * to the same one meanwhile) the held file's own allocation shows it.
 */
function expectGained(gained: number, file: string): void {
  if (privateFs) expect(gained).toBeGreaterThanOrEqual(BIG / 2)
  else expect(fs.statSync(file).blocks * 512).toBeLessThan(BIG / 2)
}

type Child = ChildProcess & { pid: number }

/** Starts a process and resolves once it printed its first line (it holds its file by then). */
async function started(command: string, args: string[]): Promise<Child> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(child)
  await answer(child)
  return child as Child
}

/** The child's next whole line on stdout (a pipe may deliver a line in several chunks). */
function answer(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let said = ''
    const onExit = (code: number | null, signal: string | null): void => reject(new Error(`process exited (${code ?? signal}) before it answered`))
    const onData = (d: Buffer): void => {
      said += d.toString()
      if (!said.includes('\n')) return
      child.off('exit', onExit)
      child.stdout?.off('data', onData)
      resolve(said.trim())
    }
    child.once('exit', onExit)
    child.stdout?.on('data', onData)
  })
}

const commOf = (pid: number): string => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()

/** Resolves once `file` is larger than `size` (the writer is still appending); fails after a minute. */
async function grows(file: string, size: number): Promise<void> {
  for (const end = Date.now() + 60000; fs.statSync(file).size <= size; await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > end) throw new Error(`${file} stopped growing at ${size} bytes`)
  }
}

const withRoot = <T>(fn: (dir: Anchor) => Promise<T>): Promise<T> => withAnchor(root, fn)

const outsideTargets = (rel: string): boolean => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(rel)
/** What a plan and an outcome must agree on (a truncated file's size moves on: its writer appends). */
const counts = (t: TargetPlan | TargetOutcome) => ({
  files: t.files, bytes: t.bytes, dirs: t.dirs, others: t.others, keptDirs: t.keptDirs, keptTarget: t.keptTarget,
  truncatedFiles: t.truncatedFiles, truncated: t.truncated.map((e) => [e.path, e.holders]),
  heldUnlinkedFiles: t.heldUnlinkedFiles, heldUnlinkedBytes: t.heldUnlinkedBytes, heldUnlinked: t.heldUnlinked
})

// 'proc' walks with the native helper where it loads (held files are pulled out of unlink
// batches); 'recheck' is the JavaScript path, one leaf at a time, anchored by the working directory.
describe.each(['proc', 'recheck'] as const)('anchored by %s', (mode) => {
  beforeEach(() => setAnchorMode(mode))
  afterEach(() => setAnchorMode('proc'))

  test('a log a running writer holds is truncated where it is: the space comes back, the writer keeps appending to the same file; the rest goes as before', async () => {
    makeTree(root, Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`logs/f${i}.log`, `file ${i}`])))
    const log = path.join(root, 'logs/app.log')
    const writer = await started(process.execPath, ['-e', WRITER, log, String(BIG / MiB)])
    const { ino } = fs.statSync(log)
    const before = snapshot(root)
    await withRoot(async (dir) => {
      const held = HeldFiles.scan([dir.dev])
      const plan = await scanTargets(dir, root, TARGETS, policy, true, undefined, { held })
      const fp = takeFingerprint(dir, policy)
      const free = freeBytes(dir)
      const outcome = await executePlan(dir, plan, policy, { held })
      const gained = freeBytes(dir) - free
      expect(outcome.errors).toEqual([])
      const logs = outcome.targets[0]
      // 100 + the MT5 tree's 3 files removed; logs/archive removed; logs itself stays (it holds app.log).
      expect(logs).toMatchObject({ result: 'purged', files: 103, dirs: 1, keptDirs: 1, keptTarget: true, truncatedFiles: 1, heldUnlinkedFiles: 0 })
      expect(logs.truncated).toEqual([{ path: 'logs/app.log', bytes: logs.truncatedBytes, holders: [{ pid: writer.pid, command: commOf(writer.pid) }] }])
      expect(logs.truncatedBytes).toBeGreaterThanOrEqual(BIG)
      expect(outcome.totals).toMatchObject({ truncatedFiles: 1, truncatedBytes: logs.truncatedBytes, heldUnlinkedFiles: 0 })
      // The plan, given the same holders, said exactly this (what a dry run shows).
      expect(outcome.targets.map(counts)).toEqual(plan.targets.map(counts))
      // Measured, not summed: the filesystem got the log's space back (the old unlink gained nothing).
      expectGained(gained, log)
      // Verification expects the truncated log to stay: the target is clean.
      expect(await verifyProtected(dir, policy, fp, plan, outcome, false)).toMatchObject({ missing: [], changed: [], leftovers: [] })
    })
    const st = fs.statSync(log)
    expect(st.ino).toBe(ino)
    expect(st.size).toBeLessThan(BIG)
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual(['app.log'])
    await grows(log, st.size)
    expect(writer.exitCode).toBeNull()
    // O_APPEND: its new lines start at the new end, no hole of 64 MiB before them.
    expect(fs.readFileSync(log, 'latin1')).toMatch(/^(line \d+\n)+$/)
    expect(survivors(before, snapshot(root), outsideTargets)).toEqual([])
  })
})

test('a held file with another name (here a protected one) is unlinked, never truncated, and so is one a process maps: every byte of the other name survives, the mapper lives, both are reported', async () => {
  const weights = crypto.randomBytes(MiB)
  fs.writeFileSync(path.join(root, 'models/held.bin'), weights)
  fs.linkSync(path.join(root, 'models/held.bin'), path.join(root, 'logs/held.bin'))
  const reader = await started(process.execPath, ['-e', READER, path.join(root, 'logs/held.bin')])
  fs.writeFileSync(path.join(root, 'data/temp/mapped.db'), Buffer.alloc(4 * 4096, 7))
  const mapper = await started('python3', ['-c', MAPPER, path.join(root, 'data/temp/mapped.db')])
  const before = snapshot(root)
  await withRoot(async (dir) => {
    const held = HeldFiles.scan([dir.dev])
    const plan = await scanTargets(dir, root, TARGETS, policy, true, undefined, { held })
    const fp = takeFingerprint(dir, policy)
    const outcome = await executePlan(dir, plan, policy, { held })
    expect(outcome.errors).toEqual([])
    expect(outcome.totals).toMatchObject({ truncatedFiles: 0, heldUnlinkedFiles: 2, heldUnlinkedBytes: MiB + 4 * 4096 })
    expect(outcome.targets.flatMap((t) => t.heldUnlinked)).toEqual([
      { path: 'logs/held.bin', bytes: MiB, holders: [{ pid: reader.pid, command: commOf(reader.pid) }], reason: 'hard-links' },
      { path: 'data/temp/mapped.db', bytes: 4 * 4096, holders: [{ pid: mapper.pid, command: commOf(mapper.pid) }], reason: 'mapped' }
    ])
    expect(outcome.targets.map(counts)).toEqual(plan.targets.map(counts))
    expect(await verifyProtected(dir, policy, fp, plan, outcome, false)).toMatchObject({ missing: [], changed: [], leftovers: [] })
  })
  expect(fs.readFileSync(path.join(root, 'models/held.bin'))).toEqual(weights)
  expect(exists(path.join(root, 'logs/held.bin'))).toBe(false)
  expect(exists(path.join(root, 'data/temp/mapped.db'))).toBe(false)
  // Every page of its mapping is still there: a truncation would have killed it with SIGBUS here.
  mapper.stdin?.write('check\n')
  expect(await answer(mapper)).toBe('ok 28')
  expect(reader.exitCode).toBeNull()
  expect(survivors(before, snapshot(root), (rel) => outsideTargets(rel) || rel.startsWith('models/'))).toEqual([])
})

const rootOnly = process.getuid?.() === 0 ? test : test.skip

rootOnly('a protected file bind-mounted into a target and held open is never truncated: the unlink fails (EBUSY) as it always did, the original keeps every byte', async () => {
  const weights = crypto.randomBytes(MiB)
  fs.writeFileSync(path.join(root, 'models/mounted.bin'), weights)
  const over = path.join(root, 'logs/mounted.bin')
  fs.writeFileSync(over, '')
  execFileSync('mount', ['--bind', path.join(root, 'models/mounted.bin'), over])
  try {
    const reader = await started(process.execPath, ['-e', READER, over])
    await withRoot(async (dir) => {
      const held = HeldFiles.scan([dir.dev])
      expect(held.get(fs.statSync(over))?.holders.map((h) => h.pid)).toEqual([reader.pid])
      const plan = await scanTargets(dir, root, ['logs'], policy, true, undefined, { held })
      const fp = takeFingerprint(dir, policy)
      const outcome = await executePlan(dir, plan, policy, { held })
      expect(outcome.errors.map((e) => `${e.path}:${e.code}`)).toEqual(['logs/mounted.bin:EBUSY'])
      expect(outcome.totals).toMatchObject({ truncatedFiles: 0, heldUnlinkedFiles: 0 })
      expect(await verifyProtected(dir, policy, fp, plan, outcome, false)).toMatchObject({ missing: [], changed: [] })
    })
    expect(fs.readFileSync(path.join(root, 'models/mounted.bin'))).toEqual(weights)
  } finally {
    // The reader keeps the mount busy: it goes first.
    for (const c of children.splice(0)) await stop(c)
    expect(spawnSync('umount', [over]).status).toBe(0)
  }
  expect(fs.readFileSync(path.join(root, 'models/mounted.bin'))).toEqual(weights)
})

test('without the holders (a run that did not look), a held file is unlinked as it always was', async () => {
  const log = path.join(root, 'logs/app.log')
  const writer = await started(process.execPath, ['-e', WRITER, log, '1'])
  await withRoot(async (dir) => {
    const plan = await scanTargets(dir, root, TARGETS, policy)
    const outcome = await executePlan(dir, plan, policy)
    expect(outcome.totals).toMatchObject({ truncatedFiles: 0, heldUnlinkedFiles: 0, files: 7 })
  })
  expect(exists(log)).toBe(false)
  expect(writer.exitCode).toBeNull()
})

// Needs run.ts to scan the holders before the purge and pass them to executePlan (the owner's wiring).
describe('through the whole engine', () => {
  test('purge(): the held log is truncated, the space comes back, verification passes, the writer keeps appending; protected files survive', async () => {
    const log = path.join(root, 'logs/app.log')
    const writer = await started(process.execPath, ['-e', WRITER, log, String(BIG / MiB)])
    const { ino } = fs.statSync(log)
    const before = snapshot(root)
    const free = freeBytes(root)
    const report = await purge(root)
    const gained = freeBytes(root) - free
    expect(report.errors).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.verified).toBe(true)
    expectGained(gained, log)
    const st = fs.statSync(log)
    expect({ ino: st.ino, small: st.size < BIG }).toEqual({ ino, small: true })
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual(['app.log'])
    await grows(log, st.size)
    expect(writer.exitCode).toBeNull()
    expect(survivors(before, snapshot(root), outsideTargets)).toEqual([])
  })
})
