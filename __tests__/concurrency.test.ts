/** Two purges of one root, and a job cancelled mid-purge (SIGINT then SIGTERM, as GitHub does). */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, tempDir } from './helpers/tree.js'
import { purge, quietLogger } from './helpers/engine.js'
import { DIST, parseOutputs, systemNode } from './helpers/action.js'
import { LOCK_FILE } from '../src/lock.js'
import { run, confirmByName } from '../src/run.js'
import { buildSettings } from '../src/settings.js'

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

  test('two real purges at once: each file is deleted and counted once; a loser refuses clearly', async () => {
    manyFiles(path.join(root, 'logs/bulk'), 20000)
    const before = protectedNow()
    const start = () => {
      const scratch = tempDir('sp-runner-')
      const out = path.join(scratch, 'out')
      fs.writeFileSync(out, '')
      const env = { PATH: process.env.PATH ?? '', HOME: scratch, GITHUB_OUTPUT: out, RUNNER_TEMP: scratch, INPUT_ROOT: root, INPUT_FORCE: 'true', INPUT_DOCKER: 'off' }
      const child = spawn(systemNode(), [DIST], { env })
      let stdout = ''
      child.stdout.on('data', (d) => (stdout += d))
      return new Promise<{ code: number | null; stdout: string; outputs: Record<string, string> }>((resolve) =>
        child.on('close', (code) => resolve({ code, stdout, outputs: parseOutputs(fs.readFileSync(out, 'utf8')) }))
      )
    }
    const results = await Promise.all([start(), start()])
    const total = 20000 + 6
    const counted = results.reduce((n, r) => n + Number(r.outputs['deleted-files'] ?? 0), 0)
    expect(counted).toBe(total)
    for (const r of results) {
      if (r.code !== 0) expect(r.stdout).toMatch(/::error::another safe-purge \(pid \d+/)
    }
    expect(protectedNow()).toEqual(before)
    expect(exists(path.join(root, 'logs'))).toBe(false)
    expect(exists(path.join(root, LOCK_FILE))).toBe(false)
  }, 180000)
})

describe('cancellation', () => {
  test('SIGINT then SIGTERM mid-purge: stops at a safe point, verifies, writes the partial report and summary, fails', async () => {
    manyFiles(path.join(root, 'logs/bulk'), 40000)
    const before = protectedNow()
    const scratch = tempDir('sp-runner-')
    const out = path.join(scratch, 'out')
    const summary = path.join(scratch, 'summary')
    fs.writeFileSync(out, '')
    fs.writeFileSync(summary, '')
    const env = { PATH: process.env.PATH ?? '', HOME: scratch, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: scratch, INPUT_ROOT: root, INPUT_FORCE: 'true', INPUT_DOCKER: 'off' }
    const child = spawn(systemNode(), [DIST], { env })
    let stdout = ''
    const code = await new Promise<number | null>((resolve) => {
      let signalled = false
      child.stdout.on('data', (d) => {
        stdout += d
        if (!signalled && stdout.includes('::group::Purge')) {
          signalled = true
          child.kill('SIGINT')
          setTimeout(() => child.kill('SIGTERM'), 50)
        }
      })
      child.on('close', resolve)
    })
    expect(code).toBe(1)
    expect(stdout).toMatch(/::error::cancelled during the purge/)
    const outputs = parseOutputs(fs.readFileSync(out, 'utf8'))
    const report = JSON.parse(fs.readFileSync(outputs.report, 'utf8'))
    expect(report.cancelled).toBe('during-purge')
    expect(report.verification.missing).toEqual([])
    expect(report.verification.changed).toEqual([])
    expect(Number(outputs['deleted-files'])).toBeLessThan(40000 + 6)
    expect(exists(path.join(root, 'logs/bulk'))).toBe(true)
    expect(fs.readFileSync(summary, 'utf8')).toContain('cancelled during the purge')
    expect(protectedNow()).toEqual(before)
    expect(exists(path.join(root, LOCK_FILE))).toBe(false)
    removeDir(scratch)
  }, 180000)

  test('cancelled before the purge: nothing is deleted', async () => {
    const controller = new AbortController()
    controller.abort()
    const beforeAll = snapshot(root)
    const report = await run(buildSettings(root, null, { docker: 'off', force: true }), { log: quietLogger(), env: process.env, confirm: confirmByName, signal: controller.signal })
    expect(report.cancelled).toBe('before-purge')
    expect(report.ok).toBe(false)
    // Nothing ran, so nothing is counted as removed, and the targets are not clean.
    expect(report.totals).toEqual({ files: 0, bytes: 0, dirs: 0, others: 0 })
    expect(report.deleted).toEqual([])
    expect(report.verified).toBe(false)
    expect(report.failures).toContain('cancelled before anything was changed')
    expect(snapshot(root)).toEqual(beforeAll)
  })
})
