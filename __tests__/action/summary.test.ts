import fs from 'node:fs'
import path from 'node:path'
import { summaryHtml, escapeHtml, cell, MAX_ROWS } from '../../src/action/summary-html.js'
import type { Report } from '../../src/engine/report.js'
import { outputsOf, refusalHtml } from '../../src/action/summary.js'
import { refusalOf } from '../../src/engine/report.js'
import { resultLines } from '../../src/engine/report-lines.js'
import { formatBytes, showPath } from '../../src/common/text.js'
import { purge } from '../helpers/engine.js'
import { MT5_TREE, makeEnv, makeTree, removeDir, tempDir } from '../helpers/tree.js'

describe('escaping', () => {
  test('HTML special characters are escaped', () => {
    expect(escapeHtml('<img src=x onerror="alert(1)">&\'`')).toBe('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;&#38;&#39;&#96;')
  })
  test('control characters are made visible on one line', () => {
    expect(showPath('a\nb\tc\x1b[31m\x9b\\')).toBe('a\\nb\\tc\\x1b[31m\\x9b\\\\')
    expect(showPath('::error::x')).toBe('::error::x')
  })
  test('long names are shortened', () => {
    expect(cell('x'.repeat(1000)).length).toBeLessThan(400)
  })
  test('sizes are human readable', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB')
  })
})

describe('the job summary of a run (and of a dry run, and a refusal)', () => {
  let root: string
  beforeEach(() => {
    root = path.join(tempDir(), 'env')
    fs.mkdirSync(root)
    makeTree(root, MT5_TREE)
  })
  afterEach(() => removeDir(path.dirname(root)))

  test('hostile file names reach the summary and the console escaped', async () => {
    makeTree(root, { 'logs/<script>alert(1)</script>/.env': 'kept', 'logs/x\n::error::forged/config/a': 'kept' })
    const report = await purge(root)
    const html = summaryHtml(report)
    expect(html).not.toContain('<script>')
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;/.env')
    expect(html).toContain('x\\n::error::forged/config')
    for (const line of resultLines(report)) expect(line.split('\n').every((l) => !l.startsWith('::'))).toBe(true)
  })

  test("the privileged section: hostile entry names, owners and the image escaped; the console line is one line", async () => {
    const report = await purge(root)
    const hostile = 'logs/<img src=x onerror=alert(1)>\n::error::forged'
    report.privileged = {
      mode: 'auto', via: 'container', image: 'img<b>:1', ran: true, targets: ['logs'],
      entries: [{ path: hostile, code: 'EACCES', owner: 0, ownerName: '<root>', why: 'EACCES: permission denied (unlink)' }],
      entriesTotal: 1, removedFiles: 3, removedBytes: 2048, notes: ['note <i>\n::warning::x']
    }
    const html = summaryHtml(report)
    expect(html).toContain('<h3>Privileged pass (mode: auto)</h3>')
    expect(html).toContain('ran as root through a container (<code>img&#60;b&#62;:1</code>)')
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;\\n::error::forged')
    expect(html).toContain('<td>0 (&#60;root&#62;)</td>')
    expect(html).not.toMatch(/<img|<b>|<i>|<root>/)
    const lines = resultLines(report)
    expect(lines).toContain('privileged pass (a container (img<b>:1), as root) on logs: removed 3 file(s), 2.0 KiB, in the targets this user could not finish')
    for (const line of lines) expect(line.includes('\n')).toBe(false)
    expect(outputsOf(report)['privileged-files']).toBe('3')
  })

  test('thousands of kept entries are truncated; the summary stays small', async () => {
    const spec: Record<string, string> = {}
    for (let i = 0; i < 1500; i++) spec[`logs/d${i}/config/c.yaml`] = 'k'
    makeTree(root, spec)
    const report = await purge(root, { 'dry-run': true })
    const html = summaryHtml(report)
    expect(html).toMatch(/more not shown \(see the JSON report\)/)
    expect((html.match(/<tr>/g) ?? []).length).toBeLessThan(4 * (MAX_ROWS + 1))
    expect(Buffer.byteLength(html)).toBeLessThan(200 * 1024)
    expect(report.targets.find((t) => t.path === 'logs')?.keptTotal).toBe(1500)
  })

  test('huge lists of hostile names: the verdict stays, tables are cut between rows, the HTML stays well-formed and small', async () => {
    const report = await purge(root, { 'dry-run': true })
    const name = (i: number): string => `logs/${'&<"'.repeat(120)}\n${i}`
    const big: Report = {
      ...report,
      // A real run's verdict (the report comes from a dry run so nothing is deleted).
      dryRun: false,
      ok: false,
      failures: Array.from({ length: 500 }, (_, i) => `deletion error at ${name(i)}`),
      targets: Array.from({ length: 400 }, (_, i) => ({ ...report.targets[0], path: name(i), result: 'refused', reason: name(i), kept: [{ path: name(i), reason: 'protected' }], keptTotal: 3 })),
      errors: Array.from({ length: 400 }, (_, i) => ({ path: name(i), code: 'EACCES', message: name(i), hint: name(i) })),
      verification: { ...report.verification, ok: false, missing: Array.from({ length: 400 }, (_, i) => name(i)) }
    }
    const html = summaryHtml(big)
    expect(Buffer.byteLength(html)).toBeLessThan(512 * 1024)
    expect(html).toContain('<h3>Verification</h3>')
    expect(html).toContain('❌ 400 missing')
    expect(html.indexOf('<h3>Verification</h3>')).toBeLessThan(html.indexOf('<h3>Targets</h3>'))
    expect((html.match(/<table>/g) ?? []).length).toBe((html.match(/<\/table>/g) ?? []).length)
    expect((html.match(/<ul>/g) ?? []).length).toBe((html.match(/<\/ul>/g) ?? []).length)
    expect(html.replace(/<\/?[a-z0-9]+>/g, '').replace(/&#\d+;/g, '')).not.toMatch(/[&<>"]/)
    // Cut lists say how many were left out: failures, targets, kept (counting keptTotal), errors, problems.
    const more = [...html.matchAll(/… (\d+) more not shown \(see the JSON report\)/g)].map((m) => Number(m[1]))
    expect(more.length).toBe(5)
    expect(Math.max(...more)).toBeGreaterThan(1200 - MAX_ROWS)
  })

  test('a dry run says it verified nothing; its listing is folded, escaped and bounded', async () => {
    makeTree(root, { 'logs/<b>&"x.log': 'x', ...Object.fromEntries(Array.from({ length: 230 }, (_, i) => [`logs/n${String(i).padStart(3, '0')}.log`, 'y'])) })
    const report = await purge(root, { 'dry-run': true }, { list: true })
    expect(report.verified).toBe(false)
    expect(outputsOf(report).verified).toBe('false')
    const html = summaryHtml(report)
    expect(html).toContain('<h3>Checks (dry run: nothing verified)</h3>')
    expect(html).not.toContain('<h3>Verification</h3>')
    expect(html).toMatch(/<details><summary>Every entry that would go \(\d+ row\(s\) in 4 target\(s\)\)<\/summary>/)
    expect(html).toContain('<tr><td><code>logs/&#60;b&#62;&#38;&#34;x.log</code></td><td>file</td><td>1</td><td>1 B</td></tr>')
    // 200 named in the report, of which the summary's table shows its first rows, then says how many it left out.
    expect(html).toMatch(/<\/table>\n<p>… \d+ more not shown \(see the JSON report\)<\/p>\n<\/details>/)
    expect((html.match(/<details>/g) ?? []).length).toBe((html.match(/<\/details>/g) ?? []).length)
    // Without a listing asked for (a real run, or the engine used without it): no section.
    expect(summaryHtml(await purge(root, { 'dry-run': true }))).not.toContain('<details>')
  })

  test('a refusal: what, why and how to go on, escaped', () => {
    const refusal = refusalOf(Object.assign(new Error('x'), { code: 'ERR_NOT_CONFIRMED' }), 'refusing to purge /srv/<b>: no confirm was given; set confirm: "b"', false)
    const html = refusalHtml(refusal)
    expect(html).toBe(
      '<h2>safe-purge: ❌ refused, nothing was changed</h2>\n<p><strong>ERR_NOT_CONFIRMED</strong>: refusing to purge /srv/&#60;b&#62;: no confirm was given; set confirm: &#34;b&#34;</p>\n' +
      '<p>It stopped before it stopped any container or deleted any file. The message names the input that changes the outcome; a dry run (<code>dry-run: true</code>) shows what a run would delete.</p>\n'
    )
    expect(refusalHtml({ ...refusal, changed: true })).toContain('without verification')
    expect(refusalOf(new Error('boom'), 'boom', true).error.code).toBe('ERR_UNEXPECTED')
  })
})

/** The table under the heading `h3` in `html`: its header cells and its rows' cells, tags stripped. */
function tableUnder(html: string, h3: string): { head: string[]; rows: string[][]; more: string | null } | null {
  const at = html.indexOf(`<h3>${h3}</h3>`)
  if (at < 0) return null
  const section = html.slice(at).split('<h3>')[1]
  const t = /<table>([\s\S]*?)<\/table>/.exec(section)
  if (!t) return null
  const strip = (c: string): string => c.replace(/<[^>]+>/g, '')
  const [head, ...rows] = [...t[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map((c) => strip(c[1])))
  return { head, rows, more: /… (\d+) more not shown/.exec(section)?.[1] ?? null }
}

const PROTECTED = 'Protected (fingerprinted before and after)'

describe('what stayed: protected paths, and what was kept inside targets', () => {
  let root: string
  beforeEach(() => {
    root = path.join(tempDir(), 'env')
    fs.mkdirSync(root)
    makeTree(root, { ...MT5_TREE, 'logs/config/keep.yaml': 'kept' })
  })
  afterEach(() => removeDir(path.dirname(root)))

  test('a real run: each protected path once, the one inside a target says which; no second table for it', async () => {
    const report = await purge(root)
    const html = summaryHtml(report)
    expect(html).not.toContain('Kept (protected)')
    const p = tableUnder(html, PROTECTED)
    expect(p?.head).toEqual(['Path', 'Type', 'Entries', 'Inside target'])
    const paths = p?.rows.map((r) => r[0]) ?? []
    expect(new Set(paths).size).toBe(paths.length)
    expect(paths).toEqual(report.protected.roots.map((r) => r.path))
    expect(p?.rows.find((r) => r[0] === 'logs/config')).toEqual(['logs/config', 'dir', '2', 'logs'])
    expect(p?.rows.find((r) => r[0] === 'models')).toEqual(['models', 'dir', '4', '—'])
    // The entries add up to the verification's count.
    expect(p?.rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(report.verification.checked)
    expect(report.targets.find((t) => t.path === 'logs')?.kept).toEqual([{ path: 'logs/config', reason: 'protected' }])
    expect(html).not.toMatch(/inside targets<\/h3>/)
    expect(html.match(/<code>logs\/config<\/code>/g)).toHaveLength(1)
  })

  test('no protected path inside a target: no "Inside target" column', async () => {
    fs.rmSync(path.join(root, 'logs/config'), { recursive: true })
    const html = summaryHtml(await purge(root))
    expect(tableUnder(html, PROTECTED)?.head).toEqual(['Path', 'Type', 'Entries'])
  })

  test('a dry run does not fingerprint inside its targets: the protected path there is listed once, as kept inside its target', async () => {
    const report = await purge(root, { 'dry-run': true })
    const html = summaryHtml(report)
    const p = tableUnder(html, PROTECTED)
    expect(p?.head).toEqual(['Path', 'Type', 'Entries'])
    expect(p?.rows.map((r) => r[0])).not.toContain('logs/config')
    const k = tableUnder(html, 'Would be kept inside targets')
    expect(k?.head).toEqual(['Path', 'Target', 'Reason'])
    expect(k?.rows).toEqual([['logs/config', 'logs', 'protected path (a real run fingerprints it)']])
    expect(html.match(/<code>logs\/config<\/code>/g)).toHaveLength(1)
  })

  test('mount points kept inside a target get their own table, next to the protected paths', async () => {
    const report = await purge(root)
    const logs = report.targets.find((t) => t.path === 'logs')
    if (!logs) throw new Error('no logs target')
    logs.kept = [...logs.kept, { path: 'logs/nfs', reason: 'mount-point' }]
    logs.keptTotal = 2
    const html = summaryHtml(report)
    expect(tableUnder(html, 'Kept inside targets')?.rows).toEqual([['logs/nfs', 'logs', 'mount point (another filesystem, not entered)']])
    expect(tableUnder(html, PROTECTED)?.rows.map((r) => r[0])).not.toContain('logs/nfs')
    expect(html.match(/<code>logs\/config<\/code>/g)).toHaveLength(1)
  })

  test('hostile names in both tables are escaped and appear once', async () => {
    makeTree(root, { 'logs/<b>x</b>/.env': 'kept', '.env.example': 'x', 'data/temp/"q"&/config/a': 'k' })
    const report = await purge(root)
    const logs = report.targets.find((t) => t.path === 'logs')
    if (!logs) throw new Error('no logs target')
    logs.kept = [...logs.kept, { path: 'logs/<i>m</i>\n::error::x', reason: 'mount-point' }]
    logs.keptTotal += 1
    const html = summaryHtml(report)
    expect(html).not.toMatch(/<b>|<i>/)
    expect(html.match(/&#60;b&#62;x&#60;\/b&#62;\/.env/g)).toHaveLength(1)
    expect(html.match(/&#34;q&#34;&#38;\/config/g)).toHaveLength(1)
    expect(tableUnder(html, 'Kept inside targets')?.rows).toEqual([['logs/&#60;i&#62;m&#60;/i&#62;\\n::error::x', 'logs', 'mount point (another filesystem, not entered)']])
    expect(tableUnder(html, PROTECTED)?.rows.find((r) => r[0] === 'data/temp/&#34;q&#34;&#38;/config')?.[3]).toBe('data/temp')
  })

  test('thousands of protected paths inside a target in a real run: one cut table, counted once', async () => {
    const spec: Record<string, string> = {}
    for (let i = 0; i < 1500; i++) spec[`logs/d${i}/config/c.yaml`] = 'k'
    makeTree(root, spec)
    const report = await purge(root)
    expect(report.targets.find((t) => t.path === 'logs')?.keptTotal).toBe(1501)
    const html = summaryHtml(report)
    const p = tableUnder(html, PROTECTED)
    expect(p?.rows).toHaveLength(MAX_ROWS)
    expect(Number(p?.more)).toBe(report.protected.roots.length - MAX_ROWS)
    expect(html).not.toMatch(/inside targets<\/h3>/)
  })
})

describe('step outputs', () => {
  let root: string
  beforeEach(() => ({ root } = makeEnv()))
  afterEach(() => removeDir(path.dirname(root)))

  const volumes = [
    { name: 'env_redis_data', key: 'redis_data', action: 'remove', reason: '' },
    { name: 'env_postgres_data', key: 'postgres_data', action: 'keep', reason: 'protected-volumes' }
  ]

  test('a dry run describes what a real run would remove, volumes included', async () => {
    const report = await purge(root, { 'dry-run': true })
    const out = outputsOf({ ...report, docker: { ...report.docker, used: true, volumes, removedVolumes: [] } })
    expect(out['removed-volumes']).toBe('["env_redis_data"]')
    expect(JSON.parse(out.deleted)).toEqual(report.deleted)
    expect(out['deleted-files']).toBe(String(report.totals.files))
    expect(Number(out['deleted-files'])).toBeGreaterThan(0)
    expect(fs.existsSync(path.join(root, 'logs'))).toBe(true)
  })

  test('a real run names the volumes it removed, not the ones it meant to', async () => {
    const report = await purge(root)
    const out = outputsOf({ ...report, docker: { ...report.docker, used: true, volumes, removedVolumes: [] } })
    expect(out['removed-volumes']).toBe('[]')
    expect(out.verified).toBe('true')
    expect(outputsOf({ ...report, docker: { ...report.docker, used: true, volumes, removedVolumes: ['env_redis_data'] } })['removed-volumes']).toBe('["env_redis_data"]')
  })
})
