import { CLI_NAMES } from '../../src/common/options.js'
import { BUILTIN_PROTECTED, createPolicy, validateTargets } from '../../src/engine/policy.js'

describe('policy: protected patterns match whole segments at any depth', () => {
  const policy = createPolicy([])

  // The seed's own test_purge_safety.py cases.
  test.each([
    'models/baseline_v1.json',
    'config/strategies.yaml',
    '.env',
    '.git',
    'src/main/runner.py',
    'scripts/audit_current_task.py'
  ])('seed: %s is protected', (p) => {
    expect(policy.isProtected(p, false)).toBe(true)
  })

  test.each(['logs/trading.log', 'data/redis/dump.rdb', 'data/temp/cache.pkl'])('seed: %s is ephemeral', (p) => {
    expect(policy.isProtected(p, false)).toBe(false)
  })

  // The seed's bugs: substring matching protected data/resources ("src" in "resources") and
  // anything under a root whose path contains /models/.
  test.each([
    ['data/resources/prices.csv', false],
    ['data/resources', true],
    ['logs/modelsx.log', false],
    ['logs/my-config.yaml', false],
    ['logs/.envrc', false],
    ['logs/.env.bak', false],
    ['srcs/x', false]
  ])('no substring matches: %s (dir=%s) is not protected', (p, isDir) => {
    expect(policy.isProtected(p as string, isDir as boolean)).toBe(false)
  })

  test.each([
    ['logs/models', true],
    ['logs/models/x.bin', false],
    ['logs/a/b/.env', false],
    ['data/temp/.git/HEAD', false],
    ['logs/config', false],
    ['logs/requirements.txt', false]
  ])('protected names inside targets, at any depth: %s', (p, isDir) => {
    expect(policy.isProtected(p as string, isDir as boolean)).toBe(true)
  })

  test('every built-in pattern is protected at the top level', () => {
    for (const p of BUILTIN_PROTECTED) expect(policy.isProtected(p, false) || policy.isProtected(p, true)).toBe(true)
  })

  test('paths are root-relative, so a root path containing /models/ changes nothing', () => {
    // The policy never sees the absolute root; only root-relative paths are classified.
    expect(policy.isProtected('logs/app.log', false)).toBe(false)
  })
})

describe('policy: extra patterns and exact files', () => {
  test('extra patterns add protection with gitignore semantics', () => {
    const p = createPolicy(['*.ckpt', 'data/keep/', '/top-only'])
    expect(p.isProtected('logs/run/a.ckpt', false)).toBe(true)
    expect(p.isProtected('data/keep', true)).toBe(true)
    expect(p.isProtected('data/keep/x', false)).toBe(true)
    expect(p.isProtected('data/keep', false)).toBe(false) // dir-only pattern, a file of that name is not matched
    expect(p.isProtected('top-only', false)).toBe(true)
    expect(p.isProtected('logs/top-only', false)).toBe(false)
  })

  test('a negation in extra patterns cannot unprotect a built-in', () => {
    const p = createPolicy(['!models', '!.env'])
    expect(p.isProtected('models/x', false)).toBe(true)
    expect(p.isProtected('.env', false)).toBe(true)
  })

  test('exact files (compose files, config file) are protected', () => {
    const p = createPolicy([], ['compose.yaml', 'deploy/.safe-purge.yml'])
    expect(p.isProtected('compose.yaml', false)).toBe(true)
    expect(p.isProtected('deploy/.safe-purge.yml', false)).toBe(true)
    expect(p.isProtected('logs/compose.yaml', false)).toBe(false)
  })

  test.each([[''], ['   '], ['a\0b']])('invalid extra pattern %j is refused', (pat) => {
    expect(() => createPolicy([pat])).toThrow(expect.objectContaining({ code: 'ERR_BAD_PATTERN' }))
  })
})

describe('validateTargets', () => {
  const policy = createPolicy(['keep-me'])

  test('normalizes, sorts, dedupes and drops nested entries', () => {
    expect(validateTargets(['./logs/', 'data/redis', 'logs/app', 'data/redis'], policy)).toEqual(['data/redis', 'logs'])
  })

  test.each([
    ['', 'ERR_BAD_TARGET'],
    ['   ', 'ERR_BAD_TARGET'],
    ['.', 'ERR_BAD_TARGET'],
    ['./', 'ERR_BAD_TARGET'],
    ['/var/log', 'ERR_BAD_TARGET'],
    ['~/logs', 'ERR_BAD_TARGET'],
    ['../logs', 'ERR_BAD_TARGET'],
    ['logs/../models', 'ERR_BAD_TARGET'],
    ['logs/..', 'ERR_BAD_TARGET'],
    ['logs//x', 'ERR_BAD_TARGET'],
    ['logs/./x', 'ERR_BAD_TARGET'],
    ['lo\0gs', 'ERR_BAD_TARGET'],
    ['models', 'ERR_TARGET_PROTECTED'],
    ['models/tmp', 'ERR_TARGET_PROTECTED'],
    ['data/config', 'ERR_TARGET_PROTECTED'],
    ['.git', 'ERR_TARGET_PROTECTED'],
    ['keep-me', 'ERR_TARGET_PROTECTED']
  ])('refuses %j (%s)', (entry, code) => {
    expect(() => validateTargets(['logs', entry], policy)).toThrow(expect.objectContaining({ code }))
  })

  test.each([
    [['data'], ['data/keep/'], [], 'data/keep', true],
    [['data'], ['/data/keep/*.bin'], [], 'data/keep/x.bin', false],
    [['deploy'], [], ['deploy/compose.yaml'], 'deploy/compose.yaml', false]
  ])('a target %j containing a protected path known up front is valid (with %j): the walk keeps it', (targets, extra, exact, inside, isDir) => {
    const policy = createPolicy(extra, exact)
    expect(validateTargets(targets, policy)).toEqual(targets)
    expect(policy.isProtected(inside, isDir)).toBe(true)
  })

  test('name patterns that can match anywhere do not make a target invalid (they are kept while scanning)', () => {
    expect(validateTargets(['logs'], createPolicy(['*.ckpt', 'keep/', 'data/*']))).toEqual(['logs'])
  })

  test('an empty list is refused', () => {
    expect(() => validateTargets([], policy)).toThrow(expect.objectContaining({ code: 'ERR_NO_TARGETS' }))
  })

  test('error messages are one line and name the entry and the fix', () => {
    try {
      validateTargets(['../x'], policy)
      throw new Error('no error')
    } catch (err) {
      const msg = (err as Error).message
      expect(msg).not.toContain('\n')
      expect(msg).toContain('"../x"')
      expect(msg).toMatch(/inside root/)
    }
  })
})

describe('errors name the option the way the person sets it', () => {
  test('the action names its inputs, the CLI its flags', () => {
    const policy = createPolicy([])
    expect(() => validateTargets(['models'], policy)).toThrow(/^ephemeral entry "models" is protected: remove it from ephemeral /)
    expect(() => validateTargets(['models'], policy, CLI_NAMES)).toThrow(/^--ephemeral entry "models" is protected: remove it from --ephemeral /)
    expect(() => createPolicy([' '], [], CLI_NAMES)).toThrow(/^--protected pattern #1 is empty: remove the blank entry from --protected$/)
    expect(() => createPolicy([' '])).toThrow(/^protected pattern #1 is empty: remove the blank entry from protected$/)
  })
})
