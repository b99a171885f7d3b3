import fs from 'node:fs'
import path from 'node:path'
import { summaryHtml, escapeHtml, cell, MAX_ROWS } from '../src/summary-html.js'
import { formatBytes, showPath, resultLines } from '../src/report.js'
import { purge } from './helpers/engine.js'
import { MT5_TREE, makeTree, removeDir, tempDir } from './helpers/tree.js'

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

describe('the job summary of a real run', () => {
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
})
