/**
 * The likely mistakes, caught before anything changes: contradicting options, a root that is no
 * environment, a target typed wrong or written as an inline list, and nothing to purge at all.
 * Every refusal leaves the tree byte for byte as it was.
 */
import fs from 'node:fs'
import path from 'node:path'
import { MT5_TREE, makeTree, removeDir, snapshot, tempDir } from '../helpers/tree.js'
import { purge, quietLogger } from '../helpers/engine.js'
import { closest, closestPath, editDistance } from '../../src/engine/suggest.js'
import { CLI_NAMES } from '../../src/common/options.js'

let base: string
let root: string
beforeEach(() => {
  base = tempDir('sp-checks-')
  root = path.join(base, 'env')
  fs.mkdirSync(root)
})
afterEach(() => removeDir(base))

describe('contradicting options: refused before anything is looked at, naming both', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['full with docker off', { full: true, docker: 'off' }, /^full and docker off contradict each other: full removes the stack's volumes, which needs docker; drop one of them$/],
    ['full with keep-running', { full: true, docker: 'auto', 'keep-running': true }, /^full and keep-running contradict each other: .*needs the stack stopped; drop one of them$/]
  ])('%s', async (_what, options, message) => {
    makeTree(root, MT5_TREE)
    const before = snapshot(root)
    await expect(purge(root, options)).rejects.toMatchObject({ code: 'ERR_CONFLICT', message: expect.stringMatching(message) })
    expect(snapshot(root)).toEqual(before)
  })

  test('the CLI names its flags', async () => {
    makeTree(root, MT5_TREE)
    await expect(purge(root, { full: true, docker: 'off' }, { names: CLI_NAMES })).rejects.toMatchObject({ message: expect.stringMatching(/^--full and --docker off contradict/) })
  })
})

describe('a root that shows no sign of being an environment', () => {
  test('defaulted to the working directory: refused, nothing touched, naming --root', async () => {
    makeTree(root, { 'logs/app.log': 'an unrelated folder', 'notes.txt': 'x' })
    const before = snapshot(root)
    await expect(purge(root, {}, { rootImplicit: true, names: CLI_NAMES })).rejects.toMatchObject({
      code: 'ERR_NOT_AN_ENVIRONMENT',
      message: expect.stringMatching(/^refusing to purge .*env: it shows no sign of being an environment \(no config or compose file, no models\/, \.env or \.git\); run this from the environment's root, or name it with --root$/)
    })
    expect(snapshot(root)).toEqual(before)
  })

  test.each([['models/'], ['.env'], ['.git/'], ['docker-compose.prod.yml'], ['compose.yaml']])('one sign is enough: %s', async (sign) => {
    makeTree(root, { 'logs/app.log': 'x', ...(sign.endsWith('/') ? { [`${sign}x`]: 'x' } : { [sign]: 'services: {}\n' }) })
    const report = await purge(root, {}, { rootImplicit: true })
    expect(report.ok).toBe(true)
    expect(fs.existsSync(path.join(root, 'logs/app.log'))).toBe(false)
  })

  test('named explicitly (--root, the action input): purged', async () => {
    makeTree(root, { 'logs/app.log': 'x' })
    const report = await purge(root, {}, { rootImplicit: false })
    expect(report.ok).toBe(true)
  })
})

describe('targets that are not there', () => {
  test('a listed target that does not exist: a warning with the closest existing path', async () => {
    makeTree(root, MT5_TREE)
    const log = quietLogger()
    const report = await purge(root, { ephemeral: ['data/redsi', 'logs'] }, { log })
    expect(report.warnings).toContain('ephemeral entry "data/redsi" does not exist: did you mean data/redis?')
    expect(log.captured.warnings).toContain('ephemeral entry "data/redsi" does not exist: did you mean data/redis?')
    // The typo names nothing: the real data/redis is not purged in its place.
    expect(fs.existsSync(path.join(root, 'data/redis/dump.rdb'))).toBe(true)
  })

  test('the default list: a missing default is no warning', async () => {
    makeTree(root, { 'models/m.bin': 'x', 'logs/a.log': 'x' })
    const report = await purge(root)
    expect(report.warnings.filter((w) => w.includes('does not exist'))).toEqual([])
  })

  test('nothing configured exists: "nothing to purge", plainly', async () => {
    makeTree(root, { 'models/m.bin': 'x' })
    const report = await purge(root)
    expect(report.warnings).toContain('nothing to purge: none of the 4 target(s) exists in root (.docker-compose-state, data/redis, data/temp, logs)')
    expect(report.ok).toBe(true)
  })

  test.each(['logs, data/redis', 'logs,  data/temp', '[logs, data/redis]'])('an inline list %j is refused with the fix, nothing touched', async (entry) => {
    makeTree(root, MT5_TREE)
    const before = snapshot(root)
    await expect(purge(root, { ephemeral: [entry] })).rejects.toMatchObject({
      code: 'ERR_BAD_TARGET',
      message: `ephemeral entry ${JSON.stringify(entry)} looks like several paths on one line: give one path per line (one per line in the input, a YAML list in the config file, or ephemeral once per path)`
    })
    expect(snapshot(root)).toEqual(before)
  })
})

describe('suggestions', () => {
  test.each<[string, string, number]>([
    ['redis', 'redsi', 1],
    ['logs', 'log', 1],
    ['ephemeral', 'ephemerall', 1],
    ['abc', 'xyz', 3]
  ])('editDistance(%j, %j) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
  })

  test('closest: a typo or a case difference, never a far word', () => {
    expect(closest('redsi', ['redis', 'temp'])).toBe('redis')
    expect(closest('Logs', ['logs', 'locks'])).toBe('logs')
    expect(closest('cache', ['redis', 'temp'])).toBeNull()
  })

  test('closestPath: segment by segment from the root; null when nothing is close or it exists', () => {
    makeTree(root, { 'data/redis/dump.rdb': 'x', 'logs/a.log': 'x' })
    expect(closestPath(root, 'dta/redsi')).toBe('data/redis')
    expect(closestPath(root, 'data/redis')).toBeNull()
    expect(closestPath(root, 'data/cache')).toBeNull()
  })
})
