import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, survivors, tempDir } from '../helpers/tree.js'
import { purge, quietLogger } from '../helpers/engine.js'
import { run, confirmByName } from '../../src/engine/run.js'
import { buildSettings } from '../../src/engine/settings.js'
import { createPolicy } from '../../src/engine/policy.js'

const policy = createPolicy([])
const isKept = (rel: string): boolean => {
  const top = rel.split('/')[0]
  if (['logs', 'data', '.docker-compose-state'].includes(top)) {
    if (rel === 'data' || rel.startsWith('data/resources')) return true
    return policy.isProtected(rel, true) || policy.isProtected(rel, false)
  }
  return true
}

let root: string
beforeEach(() => {
  root = path.join(tempDir(), 'mt5-env')
  fs.mkdirSync(root)
  makeTree(root, MT5_TREE)
})
afterEach(() => removeDir(path.dirname(root)))

/** What a target directory holds after the purge: it stays, emptied in place (`rm -rf dir/*`). */
const emptied = (rel: string): string[] => fs.readdirSync(path.join(root, rel))

// This file runs in both jest projects (jest.config.js): with the native helper, and without it.
test('the report names the walker this project runs: the native helper, or the JavaScript path', async () => {
  const report = await purge(root)
  expect(report.ok).toBe(true)
  if (process.env.SAFE_PURGE_NATIVE === '0') expect(report.walker).toBe('off (SAFE_PURGE_NATIVE=0)')
  else if (process.platform === 'linux' && process.arch === 'x64') expect(report.walker).toBe('native')
})

describe('a real purge of the MT5-like environment', () => {
  test('removes exactly the ephemeral paths; every protected byte survives', async () => {
    const before = snapshot(root)
    const report = await purge(root)
    const after = snapshot(root)
    expect(survivors(before, after, isKept)).toEqual([])
    // Target directories are emptied where they are (same inode and mode); a target that is a file goes.
    for (const dir of ['logs', 'data/redis', 'data/temp']) {
      expect(emptied(dir)).toEqual([])
      expect(after.get(dir)).toEqual(before.get(dir))
    }
    expect(exists(path.join(root, '.docker-compose-state'))).toBe(false)
    expect(exists(path.join(root, 'data/resources/prices.csv'))).toBe(true)
    expect(report.ok).toBe(true)
    expect(report.verified).toBe(true)
    expect(report.deleted).toEqual(['.docker-compose-state', 'data/redis', 'data/temp', 'logs'])
    expect(report.totals.files).toBe(6)
    expect(report.totals.dirs).toBe(1) // logs/archive: the target directories themselves stay
    const expectedBytes = ['logs/trading.log', 'logs/errors.log', 'logs/archive/2026-01-01.log', 'data/redis/dump.rdb', 'data/temp/cache.pkl', '.docker-compose-state']
      .reduce((n, f) => n + Buffer.byteLength(MT5_TREE[f] as string), 0)
    expect(report.totals.bytes).toBe(expectedBytes)
    expect(report.failures).toEqual([])
    expect(report.verification.checked).toBeGreaterThan(10)
  })

  test('dry run changes nothing and reports exactly what a real run then removes', async () => {
    const before = snapshot(root)
    const dry = await purge(root, { 'dry-run': true, force: false })
    expect(snapshot(root)).toEqual(before)
    expect(dry.dryRun).toBe(true)
    expect(dry.targets.map((t) => t.result)).toEqual(['would-purge', 'would-purge', 'would-purge', 'would-purge'])
    const real = await purge(root)
    expect(real.deleted).toEqual(dry.deleted)
    expect(real.totals).toEqual(dry.totals)
    expect(real.targets.map((t) => [t.path, t.files, t.bytes, t.dirs, t.others])).toEqual(dry.targets.map((t) => [t.path, t.files, t.bytes, t.dirs, t.others]))
  })

  test('protected entries inside a target stay, with their parents; the rest goes', async () => {
    makeTree(root, {
      'logs/models/keep.bin': 'precious',
      'logs/deep/a/b/.env': 'SECRET=1',
      'logs/deep/a/b/junk.log': 'junk',
      'logs/deep/other/junk.log': 'junk'
    })
    const before = snapshot(root)
    const report = await purge(root)
    const after = snapshot(root)
    expect(survivors(before, after, isKept)).toEqual([])
    expect([...after.keys()].filter((k) => k.startsWith('logs')).sort()).toEqual([
      'logs', 'logs/deep', 'logs/deep/a', 'logs/deep/a/b', 'logs/deep/a/b/.env', 'logs/models', 'logs/models/keep.bin'
    ])
    const logs = report.targets.find((t) => t.path === 'logs')
    expect(logs?.result).toBe('purged-kept')
    expect(logs?.kept.map((k) => k.path).sort()).toEqual(['logs/deep/a/b/.env', 'logs/models'])
    expect(report.verified).toBe(true)
  })

  test('the seed bugs: a root under /models/ or /src/ purges normally; data/resources is not src', async () => {
    // The seed matched substrings of absolute paths: under such a root it kept (or deleted) the wrong things.
    const base = path.dirname(root)
    const deep = path.join(base, 'srv', 'models', 'src', 'mt5-env')
    fs.mkdirSync(path.dirname(deep), { recursive: true })
    fs.renameSync(root, deep)
    root = deep
    makeTree(root, { 'data/resources/src.csv': 'keep', 'logs/models_backup.log': 'goes' })
    const before = snapshot(root)
    const report = await purge(root)
    expect(survivors(before, snapshot(root), isKept)).toEqual([])
    expect(report.deleted).toEqual(['.docker-compose-state', 'data/redis', 'data/temp', 'logs'])
    expect(emptied('logs')).toEqual([])
    expect(fs.readFileSync(path.join(root, 'data/resources/src.csv'), 'utf8')).toBe('keep')
    expect(report.verified).toBe(true)
    root = path.join(base, 'mt5-env') // afterEach removes root's parent: the temp dir
  })

  test('a dry run shows the directories kept because they lead to protected entries', async () => {
    makeTree(root, { 'logs/deep/a/.env': 'S=1', 'logs/deep/b/x.log': 'x' })
    const dry = await purge(root, { 'dry-run': true, force: false })
    const logs = dry.targets.find((t) => t.path === 'logs')
    expect(logs).toMatchObject({ result: 'would-purge-kept', keptTotal: 1, keptDirs: 3 }) // logs, logs/deep, logs/deep/a
    const real = await purge(root)
    expect(real.targets.find((t) => t.path === 'logs')).toMatchObject({ result: 'purged-kept', keptTotal: 1, keptDirs: 3 })
    expect(fs.readFileSync(path.join(root, 'logs/deep/a/.env'), 'utf8')).toBe('S=1')
  })

  test('missing targets are reported, not errors', async () => {
    removeDir(path.join(root, 'data/temp'))
    const report = await purge(root)
    expect(report.targets.find((t) => t.path === 'data/temp')?.result).toBe('missing')
    expect(report.ok).toBe(true)
  })

  test('ephemeral replaces the default list; extra protected patterns are honoured inside targets', async () => {
    makeTree(root, { 'cache/a.tmp': 'a', 'cache/keep.ckpt': 'ckpt' })
    const report = await purge(root, { ephemeral: ['cache'], protected: ['*.ckpt'] })
    expect(report.deleted).toEqual(['cache'])
    expect(exists(path.join(root, 'cache/keep.ckpt'))).toBe(true)
    expect(exists(path.join(root, 'cache/a.tmp'))).toBe(false)
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(true)
  })
})

describe('links are removed as links, never followed', () => {
  test('links inside a target to protected paths, outside the root, to / and in loops', async () => {
    const outside = tempDir('sp-outside-')
    makeTree(outside, { 'precious.txt': 'outside' })
    makeTree(root, {
      'logs/to-models': { link: '../models' },
      'logs/to-env': { link: '../.env' },
      'logs/to-outside': { link: outside },
      'logs/to-slash': { link: '/' },
      'logs/loop-a': { link: 'loop-b' },
      'logs/loop-b': { link: 'loop-a' },
      'logs/dangling': { link: 'nowhere' }
    })
    const before = snapshot(root)
    const outsideBefore = snapshot(outside)
    const report = await purge(root)
    expect(survivors(before, snapshot(root), isKept)).toEqual([])
    expect(snapshot(outside)).toEqual(outsideBefore)
    expect(emptied('logs')).toEqual([])
    expect(report.targets.find((t) => t.path === 'logs')?.others).toBe(7)
    expect(report.ok).toBe(true)
    removeDir(outside)
  })

  test('a target that is itself a symlink: only the link goes', async () => {
    const outside = tempDir('sp-outside-')
    makeTree(outside, { 'keep/file.txt': 'outside' })
    removeDir(path.join(root, 'logs'))
    removeDir(path.join(root, 'data/temp'))
    fs.symlinkSync(path.join(root, 'models'), path.join(root, 'logs'))
    fs.symlinkSync(outside, path.join(root, 'data/temp'))
    const before = snapshot(root)
    const report = await purge(root)
    expect(survivors(before, snapshot(root), (r) => r.startsWith('models') || r === 'data/resources')).toEqual([])
    expect(fs.readFileSync(path.join(outside, 'keep/file.txt'), 'utf8')).toBe('outside')
    expect(exists(path.join(root, 'logs'))).toBe(false)
    expect(report.targets.find((t) => t.path === 'logs')).toMatchObject({ result: 'purged', files: 0, others: 1 })
    removeDir(outside)
  })

  test('a parent of a target that is a symlink leaving the root: that target is refused, the rest goes on', async () => {
    const elsewhere = tempDir('sp-elsewhere-')
    makeTree(elsewhere, { 'redis/dump.rdb': 'must survive' })
    removeDir(path.join(root, 'data'))
    fs.symlinkSync(elsewhere, path.join(root, 'data'))
    const report = await purge(root)
    expect(fs.readFileSync(path.join(elsewhere, 'redis/dump.rdb'), 'utf8')).toBe('must survive')
    expect(report.targets.find((t) => t.path === 'data/redis')?.result).toBe('refused')
    expect(emptied('logs')).toEqual([])
    expect(report.ok).toBe(false)
    expect(report.errors.map((e) => [e.path, e.code])).toEqual([['data/redis', 'EREFUSED'], ['data/temp', 'EREFUSED']])
    removeDir(elsewhere)
  })

  test('hardlinks to protected files inside a target are unlinked; the protected content is unchanged', async () => {
    fs.linkSync(path.join(root, 'models/baseline_v1.json'), path.join(root, 'logs/hard.json'))
    const before = snapshot(root)
    const report = await purge(root)
    expect(survivors(before, snapshot(root), isKept)).toEqual([])
    expect(fs.readFileSync(path.join(root, 'models/baseline_v1.json'), 'utf8')).toBe(MT5_TREE['models/baseline_v1.json'])
    expect(report.verified).toBe(true)
  })
})

describe('special files and odd names', () => {
  test('FIFOs are removed without being opened (no hang), and counted as specials', async () => {
    execFileSync('mkfifo', [path.join(root, 'logs/pipe')])
    const report = await purge(root)
    expect(exists(path.join(root, 'logs/pipe'))).toBe(false)
    expect(report.targets.find((t) => t.path === 'logs')?.others).toBe(1)
  })

  test('names with newlines, leading dashes, unicode, HTML and invalid UTF-8 are removed', async () => {
    const names = ['line\nbreak.log', '-rf', '--help', 'ünï-çødé-日本.log', '<img src=x onerror=alert(1)>.log', 'esc\x1b[31mred.log']
    for (const n of names) fs.writeFileSync(path.join(root, 'logs', n), 'x')
    fs.writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'logs') + '/bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.log')]), 'x')
    const report = await purge(root)
    expect(emptied('logs')).toEqual([])
    expect(report.targets.find((t) => t.path === 'logs')?.files).toBe(3 + names.length + 1)
    expect(report.ok).toBe(true)
  })
})

describe('refusals happen before anything is touched', () => {
  test('no confirmation: refused with the fix named, nothing deleted', async () => {
    const before = snapshot(root)
    await expect(purge(root, { force: false })).rejects.toMatchObject({ code: 'ERR_NOT_CONFIRMED', message: expect.stringMatching(/confirm: "mt5-env".*force: true/) })
    expect(snapshot(root)).toEqual(before)
  })

  test('confirm equal to the root folder name allows the purge', async () => {
    const report = await purge(root, { force: false, confirm: 'mt5-env' })
    expect(report.ok).toBe(true)
    expect(emptied('logs')).toEqual([])
  })

  test('a wrong confirm is refused', async () => {
    await expect(purge(root, { force: false, confirm: 'MT5-ENV' })).rejects.toMatchObject({ code: 'ERR_NOT_CONFIRMED' })
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(true)
  })

  test('an invalid entry anywhere in the list deletes nothing', async () => {
    const before = snapshot(root)
    await expect(purge(root, { ephemeral: ['logs', 'data/redis', '../outside'] })).rejects.toMatchObject({ code: 'ERR_BAD_TARGET' })
    await expect(purge(root, { ephemeral: ['logs', 'models'] })).rejects.toMatchObject({ code: 'ERR_TARGET_PROTECTED' })
    expect(snapshot(root)).toEqual(before)
  })

  test('an unsafe root is refused', async () => {
    await expect(purge('/')).rejects.toMatchObject({ code: 'ERR_ROOT_IS_SYSTEM' })
    await expect(purge(path.join(root, 'nope'))).rejects.toMatchObject({ code: 'ERR_ROOT_MISSING' })
  })
})

describe('preflight and logging', () => {
  test('warns when models/ or .env are absent, without failing', async () => {
    removeDir(path.join(root, 'models'))
    fs.rmSync(path.join(root, '.env'))
    const log = quietLogger()
    const report = await run(buildSettings(root, null, { docker: 'off', force: true }), { log, env: process.env, confirm: confirmByName })
    expect(report.ok).toBe(true)
    expect(log.captured.warnings.join('\n')).toMatch(/models is absent/)
    expect(log.captured.warnings.join('\n')).toMatch(/\.env is absent/)
  })
})

describe('verification', () => {
  const withHook = (phase: string, hook: () => void) => {
    const log = quietLogger()
    log.group = async (name, fn) => {
      if (name === phase) hook()
      return fn()
    }
    return log
  }

  test('a protected file that changes during the run fails verification, naming it', async () => {
    const log = withHook('Purge', () => fs.appendFileSync(path.join(root, 'models/baseline_v1.json'), 'tampered'))
    const report = await run(buildSettings(root, null, { docker: 'off', force: true }), { log, env: process.env, confirm: confirmByName })
    expect(report.ok).toBe(false)
    expect(report.verified).toBe(false)
    expect(report.verification.changed).toEqual([{ path: 'models/baseline_v1.json', what: expect.stringMatching(/size/) }])
    expect(report.failures.join('\n')).toMatch(/verification failed: 0 protected path\(s\) missing and 1 changed \(first: models\/baseline_v1.json\)/)
  })

  test('a protected file that disappears during the run fails verification', async () => {
    const log = withHook('Purge', () => fs.rmSync(path.join(root, '.env')))
    const report = await run(buildSettings(root, null, { docker: 'off', force: true }), { log, env: process.env, confirm: confirmByName })
    expect(report.ok).toBe(false)
    expect(report.verification.missing).toEqual(['.env'])
  })

  test('a target refilled after the purge is reported as not clean', async () => {
    const log = withHook('Verify', () => makeTree(root, { 'logs/new.log': 'written after the purge' }))
    const report = await run(buildSettings(root, null, { docker: 'off', force: true }), { log, env: process.env, confirm: confirmByName })
    expect(report.ok).toBe(false)
    expect(report.verification.leftovers).toEqual([{ path: 'logs', remaining: 1 }])
  })

  test('no false "missing" alarm for protected names the root never had', async () => {
    removeDir(path.join(root, 'docs'))
    removeDir(path.join(root, 'scripts'))
    const report = await purge(root)
    expect(report.verification.missing).toEqual([])
    expect(report.ok).toBe(true)
  })
})
