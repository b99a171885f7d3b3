/** Two purges of one root, and a job cancelled mid-purge (SIGINT then SIGTERM, as GitHub does). */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, tempDir } from '../helpers/tree.js'
import { purge, quietLogger } from '../helpers/engine.js'
import { expectProjectWalker, reportOf, startAction, type ActionRun, type StartedAction } from '../helpers/action.js'
import { flood, freeze, stopAfter, stoppedMidPurge, thaw } from '../helpers/signals.js'
import { LOCK_FILE } from '../../src/engine/lock.js'
import { run, confirmByName } from '../../src/engine/run.js'
import { buildSettings } from '../../src/engine/settings.js'

let base: string
let root: string
beforeEach(() => {
  base = tempDir('sp-conc-')
  root = path.join(base, 'env')
  fs.mkdirSync(root)
  makeTree(root, MT5_TREE)
})
afterEach(() => removeDir(base))

function manyFiles(dir: string, count: number): void {
  for (let d = 0; d < count / 500; d++) {
    const sub = path.join(dir, `d${d}`)
    fs.mkdirSync(sub, { recursive: true })
    for (let f = 0; f < 500; f++) fs.writeFileSync(path.join(sub, `f${f}.log`), 'x')
  }
}

const forced = (): Record<string, string> => ({ root, force: 'true', docker: 'off' })

/** Resolves once `run` holds the lock (the lock file names its pid); fails if it ends first. */
async function lockHeldBy(run: StartedAction): Promise<void> {
  for (;;) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(root, LOCK_FILE), 'utf8')).pid === run.pid) return
    } catch {
      // not taken yet (the lock is linked into place complete, so it is never read half-written)
    }
    if (run.child.exitCode !== null) throw new Error(`the run ended before it was seen holding the lock:\n${run.stdout()}`)
    await new Promise((r) => setTimeout(r, 1))
  }
}

const protectedNow = () => [...snapshot(root)].filter(([k]) => !/^(logs|data\/redis|data\/temp|\.docker-compose-state|\.safe-purge\.lock)(\/|$)/.test(k))

describe('the lock', () => {
  test('a live holder refuses the second purge with its pid; nothing is deleted', async () => {
    fs.writeFileSync(path.join(root, LOCK_FILE), JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: 'earlier', token: 'held' }))
    const before = snapshot(root)
    await expect(purge(root)).rejects.toMatchObject({ code: 'ERR_LOCKED', message: expect.stringContaining(`pid ${process.pid}`) })
    expect(snapshot(root)).toEqual(before)
  })

  test('a stale lock (its process is gone) is taken over with a warning, and released after', async () => {
    const dead = spawnSync('true').pid as number
    fs.writeFileSync(path.join(root, LOCK_FILE), JSON.stringify({ pid: dead, host: os.hostname(), startedAt: 'earlier', token: 'stale' }))
    const log = quietLogger()
    const report = await run(buildSettings(root, null, { docker: 'off', force: true }), { log, env: process.env, confirm: confirmByName })
    expect(report.ok).toBe(true)
    expect(log.captured.warnings.join('\n')).toMatch(/stale lock/)
    expect(exists(path.join(root, LOCK_FILE))).toBe(false)
  })

  test('an unreadable lock is not taken over: refused with the fix', async () => {
    fs.writeFileSync(path.join(root, LOCK_FILE), '')
    await expect(purge(root)).rejects.toMatchObject({ code: 'ERR_LOCKED', message: expect.stringMatching(/cannot be read.*delete it/) })
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(true)
  })

  test('the lock file cannot be a target', async () => {
    await expect(purge(root, { ephemeral: [LOCK_FILE] })).rejects.toMatchObject({ code: 'ERR_BAD_TARGET', message: expect.stringMatching(/own lock file/) })
  })

  test('a second purge while the first holds the lock: ERR_LOCKED naming the first pid; it touches nothing, nothing is counted twice', async () => {
    manyFiles(path.join(root, 'logs/bulk'), 20000)
    const before = protectedNow()
    const first = startAction(forced())
    // Stopped while it holds the lock, the first run makes the overlap certain, not a matter of timing.
    await lockHeldBy(first)
    first.child.kill('SIGSTOP')
    let second: ActionRun
    try {
      expect(JSON.parse(fs.readFileSync(path.join(root, LOCK_FILE), 'utf8'))).toMatchObject({ pid: first.pid, host: os.hostname() })
      const held = snapshot(root)
      second = await startAction(forced()).done
      expect(snapshot(root)).toEqual(held)
    } finally {
      first.child.kill('SIGCONT')
    }
    expect(second.status).toBe(1)
    expect(second.stdout).toMatch(new RegExp(`::error::another safe-purge \\(pid ${first.pid} on ${os.hostname()}, since [^)]+\\) is purging .*: wait for it, or delete .*${LOCK_FILE.replace(/\./g, '\\.')} if that process is gone`))
    // Refused before the purge: its own outputs say so (nothing deleted, not verified), never the first run's counts.
    expect(second.outputs).toMatchObject({ verified: 'false', deleted: '[]', 'deleted-files': '0', 'freed-bytes': '0' })
    expect(JSON.parse(fs.readFileSync(second.outputs.report, 'utf8'))).toMatchObject({ ok: false, changed: false, error: { code: 'ERR_LOCKED' } })
    const r = await first.done
    expect(r.status).toBe(0)
    expect(r.outputs['deleted-files']).toBe(String(20000 + 6))
    expect(reportOf(r)).toMatchObject({ ok: true, verified: true, errors: [] })
    expectProjectWalker(r)
    expect(protectedNow()).toEqual(before)
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied in place: the target directory stays
    expect(exists(path.join(root, LOCK_FILE))).toBe(false)
  }, 180000)

  test('two real purges started at the same moment: each file is deleted and counted once; a loser refuses clearly', async () => {
    manyFiles(path.join(root, 'logs/bulk'), 20000)
    const before = protectedNow()
    const runs = [startAction(forced()), startAction(forced())]
    const results = await Promise.all(runs.map((s) => s.done))
    const counted = results.reduce((n, r) => n + Number(r.outputs['deleted-files'] ?? 0), 0)
    expect(counted).toBe(20000 + 6)
    expect(results.some((r) => r.status === 0)).toBe(true)
    results.forEach((r, i) => {
      if (r.status === 0) expectProjectWalker(r)
      else expect(r.stdout).toMatch(new RegExp(`::error::another safe-purge \\(pid ${runs[1 - i].pid} `))
    })
    expect(protectedNow()).toEqual(before)
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied in place: the target directory stays
    expect(exists(path.join(root, LOCK_FILE))).toBe(false)
  }, 180000)
})

describe('cancellation', () => {
  test('SIGINT then SIGTERM mid-purge: stops at a safe point, verifies, writes the partial report and summary, fails', async () => {
    manyFiles(path.join(root, 'logs/bulk'), 40000)
    const before = protectedNow()
    // The run stops itself mid-purge (a test seam); it gets both signals at once when it resumes:
    // GitHub's SIGINT then SIGTERM, or Ctrl-C pressed twice, before the purge could finish.
    const run = startAction(forced(), { env: stopAfter(5000) })
    await stoppedMidPurge(run.pid, path.join(root, 'logs/bulk'))
    run.child.kill('SIGINT')
    run.child.kill('SIGTERM')
    thaw(run.pid)
    const r = await run.done
    // Neither signal kills it: it exits with the run's own status, never by the signal (status null).
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 1, signal: null })
    expect(r.stdout).toMatch(/::error::cancelled during the purge/)
    const report = reportOf(r)
    expect(report.cancelled).toBe('during-purge')
    expect(report.verification).toMatchObject({ missing: [], changed: [] })
    expectProjectWalker(r)
    expect(Number(r.outputs['deleted-files'])).toBeLessThan(40000 + 6)
    expect(exists(path.join(root, 'logs/bulk'))).toBe(true)
    expect(r.summary).toContain('cancelled during the purge')
    expect(protectedNow()).toEqual(before)
    expect(exists(path.join(root, LOCK_FILE))).toBe(false)
    removeDir(path.dirname(r.runnerTemp))
  }, 180000)

  test('SIGTERMs that reach a finished run as it exits: it exits with its own status, outputs and report complete', async () => {
    manyFiles(path.join(root, 'logs/bulk'), 2000)
    const before = protectedNow()
    const run = startAction(forced())
    // The result is printed; what is left is writing the outputs and summary, and exiting. Signals
    // from then on until it is gone: one lands in every moment of its exit, Node's teardown included.
    await run.waitFor(/::group::Result[\s\S]*::endgroup::/)
    await freeze(run.pid)
    const sent = flood(run.pid, 'TERM')
    thaw(run.pid)
    const r = await run.done
    await sent
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 0, signal: null })
    expect(reportOf(r)).toMatchObject({ ok: true, verified: true, cancelled: null })
    expect(r.outputs['deleted-files']).toBe(String(2000 + 6))
    expect(protectedNow()).toEqual(before)
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied in place: the target directory stays
    expect(exists(path.join(root, LOCK_FILE))).toBe(false)
  }, 180000)

  test('cancelled before the purge: nothing is deleted', async () => {
    const controller = new AbortController()
    controller.abort()
    const beforeAll = snapshot(root)
    const report = await run(buildSettings(root, null, { docker: 'off', force: true }), { log: quietLogger(), env: process.env, confirm: confirmByName, signal: controller.signal })
    expect(report.cancelled).toBe('before-purge')
    expect(report.ok).toBe(false)
    // Nothing ran, so nothing is counted as removed, and the targets are not clean.
    expect(report.totals).toEqual({ files: 0, bytes: 0, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 })
    expect(report.deleted).toEqual([])
    expect(report.verified).toBe(false)
    expect(report.failures).toContain('cancelled before anything was changed')
    expect(snapshot(root)).toEqual(beforeAll)
  })
})
