/**
 * The privileged pass's own side (the CLI's --privileged-pass, run as root here as sudo or a
 * container would run it): it purges only the job's targets under the same rules, refuses a root
 * that is not the node the outer run guarded, and refuses a malformed job; nothing changes then.
 * The outer side, run as ordinary users through real sudo and a real container, is in
 * privileged.test.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { CLI } from '../helpers/cli.js'
import { systemNode } from '../helpers/action.js'
import { makeEnv, makeTree, removeDir, snapshot, tempDir } from '../helpers/tree.js'
import { PASS_PROTOCOL, mergePass, passFailures, type PassAnswer, type PassJob } from '../../src/engine/privileged.js'
import { bootId } from '../../src/common/boot.js'
import { parseJob } from '../../src/cli/pass.js'
import type { Outcome, TargetOutcome } from '../../src/engine/execute.js'
import type { Report } from '../../src/engine/report.js'
import { purge } from '../helpers/engine.js'

function pass(job: unknown): { status: number | null; answer: PassAnswer; stderr: string } {
  const r = spawnSync(systemNode(), [CLI, '--privileged-pass'], { input: typeof job === 'string' ? job : JSON.stringify(job), encoding: 'utf8', timeout: 60000, env: { PATH: process.env.PATH ?? '', HOME: '/root' } })
  return { status: r.status, answer: JSON.parse(r.stdout) as PassAnswer, stderr: r.stderr }
}

function jobFor(root: string, over: Partial<PassJob> = {}): PassJob {
  const st = fs.statSync(root)
  return { protocol: PASS_PROTOCOL, root, expect: { dev: st.dev, ino: st.ino, boot: bootId() }, targets: ['logs'], protected: [], exact: [], removeTargetDirs: false, ...over }
}

let base: string
let root: string
let outside: string
beforeEach(() => {
  ;({ base, root } = makeEnv())
  outside = tempDir('sp-outside-')
  fs.writeFileSync(path.join(outside, 'canary'), 'canary')
  makeTree(root, {
    'logs/app/a.log': 'a',
    'logs/app/.env': 'SECRET=1',
    'logs/keep.yml': 'kept by exact path',
    'logs/pattern.ckpt': 'kept by pattern',
    'logs/out': { link: path.join(outside, 'canary') },
    'logs/outdir': { link: outside },
    'data/redis/dump.rdb': 'not in the job'
  })
})
afterEach(() => {
  removeDir(base)
  removeDir(outside)
})

describe('the privileged pass (--privileged-pass, as root)', () => {
  test("purges only the job's targets, under the same protected patterns and exact paths; links go as links", () => {
    const r = pass(jobFor(root, { protected: ['*.ckpt'], exact: ['logs/keep.yml'] }))
    expect(r.answer.error).toBeUndefined()
    expect(r.status).toBe(0)
    const report = r.answer.report as Report
    expect(report.ok).toBe(true)
    expect(report.targets.map((t) => t.path)).toEqual(['logs'])
    expect(report.docker.mode).toBe('off')
    expect(fs.readFileSync(path.join(root, 'logs/app/.env'), 'utf8')).toBe('SECRET=1')
    expect(fs.readFileSync(path.join(root, 'logs/keep.yml'), 'utf8')).toBe('kept by exact path')
    expect(fs.readFileSync(path.join(root, 'logs/pattern.ckpt'), 'utf8')).toBe('kept by pattern')
    expect(fs.existsSync(path.join(root, 'logs/app/a.log'))).toBe(false)
    expect(fs.existsSync(path.join(root, 'logs/out'))).toBe(false)
    expect(fs.existsSync(path.join(root, 'logs/outdir'))).toBe(false)
    expect(fs.readFileSync(path.join(outside, 'canary'), 'utf8')).toBe('canary')
    expect(fs.readFileSync(path.join(root, 'data/redis/dump.rdb'), 'utf8')).toBe('not in the job')
    expect(r.answer.truncatedNodes).toEqual({ logs: [] })
  })

  test('a root that is not the node the outer run guarded is refused before anything changes', () => {
    const before = snapshot(base)
    const other = fs.statSync(outside)
    const r = pass(jobFor(root, { expect: { dev: other.dev, ino: other.ino, boot: bootId() } }))
    expect(r.status).toBe(2)
    expect(r.answer.error?.code).toBe('ERR_ROOT_CHANGED')
    expect(r.answer.report).toBeUndefined()
    expect(snapshot(base)).toEqual(before)
  })

  test('another machine (boot id) is refused before anything changes', () => {
    const before = snapshot(base)
    const r = pass(jobFor(root, { expect: { ...jobFor(root).expect, boot: '00000000-0000-0000-0000-000000000000' } }))
    expect(r.status).toBe(2)
    expect(r.answer.error?.message).toMatch(/runs on another machine/)
    expect(snapshot(base)).toEqual(before)
  })

  test('a malformed job, another protocol, or a protected target is refused; nothing changes', () => {
    const before = snapshot(base)
    for (const job of ['not json', { ...jobFor(root), protocol: PASS_PROTOCOL + 1 }, { ...jobFor(root), targets: [] }, { ...jobFor(root), expect: null }]) {
      const r = pass(job)
      expect(r.status).toBe(2)
      expect(r.answer.error?.code).toBe('ERR_PASS_JOB')
    }
    for (const targets of [['models'], ['../outside'], ['/etc'], ['logs/app/.env']]) {
      const r = pass(jobFor(root, { targets }))
      expect(r.status).toBe(2)
      expect(r.answer.error?.code).toMatch(/^ERR_/)
    }
    expect(snapshot(base)).toEqual(before)
  })

  test('parseJob reads exactly the fields it expects', () => {
    const job = jobFor(root)
    expect(parseJob(JSON.stringify(job))).toEqual(job)
    expect(() => parseJob(JSON.stringify({ ...job, targets: [1] }))).toThrow(/malformed/)
    expect(() => parseJob(JSON.stringify({ ...job, removeTargetDirs: 'yes' }))).toThrow(/malformed/)
  })
})

describe('as root', () => {
  const rootOnly = process.geteuid?.() === 0 ? test : test.skip

  rootOnly('nothing is escalated: a read-only directory of another user is purged by the run itself', async () => {
    makeTree(root, { 'logs/locked/a.log': 'a' })
    fs.chownSync(path.join(root, 'logs/locked'), 999, 999)
    fs.chmodSync(path.join(root, 'logs/locked'), 0o555)
    // An image that does not exist, and sudo: neither is ever tried.
    const report = await purge(root, { privileged: 'container', 'privileged-image': 'safe-purge-absent:never' })
    expect(report.ok).toBe(true)
    expect(report.privileged).toBeNull()
    expect(fs.existsSync(path.join(root, 'logs/locked'))).toBe(false)
  })

  rootOnly('a deletion error caused by a flag says so, and who owns the entry: no root pass could get past it', async () => {
    makeTree(root, { 'logs/frozen.log': 'x' })
    const file = path.join(root, 'logs/frozen.log')
    fs.chownSync(file, 999, 999)
    const chattr = spawnSync('chattr', ['+i', file], { encoding: 'utf8' })
    if (chattr.status !== 0) throw new Error(`chattr +i failed here: ${chattr.stderr}`)
    try {
      const report = await purge(root, { privileged: 'off' })
      expect(report.errors).toEqual([expect.objectContaining({ path: 'logs/frozen.log', code: 'EPERM', flags: 'immutable', owner: 999 })])
    } finally {
      spawnSync('chattr', ['-i', file])
    }
  })
})

describe('mergePass', () => {
  const target = (over: Partial<TargetOutcome>): TargetOutcome => ({
    path: 'logs', result: 'failed', files: 1, bytes: 10, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0,
    kept: [], keptTotal: 0, keptDirs: 1, keptTarget: true, truncated: [], truncatedNodes: [], heldUnlinked: [],
    errors: [{ path: 'logs/app/a.log', code: 'EACCES', message: 'EACCES: permission denied (unlink)', hint: '' }], ...over
  })

  test("the pass's counts add to the first pass's; its result and errors replace the permission errors", () => {
    const outcome: Outcome = { targets: [target({}), target({ path: 'data/redis', result: 'purged', errors: [] })], totals: { files: 2, bytes: 20, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 }, errors: [], cancelled: false }
    const passTarget = { path: 'logs', result: 'purged', files: 3, bytes: 30, dirs: 1, others: 1, truncatedFiles: 1, truncatedBytes: 5, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0, truncated: [{ path: 'logs/held.log', bytes: 5, holders: [] }], heldUnlinked: [], kept: [], keptTotal: 0, keptDirs: 0 }
    mergePass(outcome, { protocol: PASS_PROTOCOL, report: { targets: [passTarget], errors: [], cancelled: null } as unknown as Report, truncatedNodes: { logs: [[7, 9]] } })
    const logs = outcome.targets[0]
    expect(logs.result).toBe('purged')
    expect(logs.errors).toEqual([])
    expect([logs.files, logs.bytes, logs.dirs, logs.others, logs.truncatedFiles]).toEqual([4, 40, 1, 1, 1])
    expect(logs.truncatedNodes).toEqual([{ dev: 7, ino: 9 }])
    expect(outcome.totals.files).toBe(5)
    expect(outcome.errors).toEqual([])
    expect(outcome.targets[1].result).toBe('purged')
  })

  test("the pass's failures are the outer run's, but for the deletion errors it merges; one whose path names that line stays", () => {
    const errors = [{ path: 'logs/a', code: 'EIO', message: 'EIO', hint: '' }]
    const report = {
      errors,
      failures: ['1 deletion error(s); first: logs/a: EIO', 'verification failed: 0 protected path(s) missing and 1 changed (first: models/1 deletion error(s); first: x)']
    } as unknown as Report
    expect(passFailures(report)).toEqual([report.failures[1]])
    expect(passFailures({ errors: [], failures: ['0 deletion error(s); first: forged'] } as unknown as Report)).toEqual(['0 deletion error(s); first: forged'])
  })

  test("an error of the pass outside every target it was given is kept", () => {
    const outcome: Outcome = { targets: [target({})], totals: { files: 1, bytes: 10, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 }, errors: [], cancelled: false }
    const stray = { path: 'elsewhere/x', code: 'EIO', message: 'EIO', hint: '' }
    const passTarget = { path: 'logs', result: 'purged', files: 0, bytes: 0, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0, truncated: [], heldUnlinked: [], kept: [], keptTotal: 0, keptDirs: 0 }
    mergePass(outcome, { protocol: PASS_PROTOCOL, report: { targets: [passTarget], errors: [stray], cancelled: null } as unknown as Report })
    expect(outcome.errors).toEqual([stray])
  })

  test("an error the pass met stays with its target", () => {
    const outcome: Outcome = { targets: [target({})], totals: { files: 1, bytes: 10, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0 }, errors: [], cancelled: false }
    const err = { path: 'logs/app/i.log', code: 'EPERM', message: 'EPERM: operation not permitted (unlink)', hint: 'h', flags: 'immutable' as const }
    const passTarget = { path: 'logs', result: 'failed', files: 0, bytes: 0, dirs: 0, others: 0, truncatedFiles: 0, truncatedBytes: 0, heldUnlinkedFiles: 0, heldUnlinkedBytes: 0, truncated: [], heldUnlinked: [], kept: [], keptTotal: 0, keptDirs: 0 }
    mergePass(outcome, { protocol: PASS_PROTOCOL, report: { targets: [passTarget], errors: [err], cancelled: null } as unknown as Report })
    expect(outcome.targets[0].result).toBe('failed')
    expect(outcome.errors).toEqual([err])
  })
})
