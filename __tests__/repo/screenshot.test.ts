/**
 * scripts/docs-screenshot.mjs (npm run docs:screenshot): runs the built action on the demo's
 * sample, renders its job summary with headless Chromium into a PNG that is not cut, and writes the
 * CLI's console with the temp path replaced by a stable one. Skipped only on a machine without
 * Chromium outside CI (CI installs it, and fails on skipped tests).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { REPO, systemNode } from '../helpers/action.js'
import { removeDir, tempDir } from '../helpers/tree.js'

const SCRIPT = path.join(REPO, 'scripts', 'docs-screenshot.mjs')

/** As the script looks for it: $CHROMIUM, else the usual names on PATH. */
function browser(): string | null {
  if (process.env.CHROMIUM) return process.env.CHROMIUM
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      try {
        fs.accessSync(path.join(dir, name), fs.constants.X_OK)
        return path.join(dir, name)
      } catch {
        // not here
      }
    }
  }
  return null
}

const maybe = browser() !== null || process.env.CI === 'true' ? test : test.skip

describe('npm run docs:screenshot', () => {
  let out: string
  beforeEach(() => (out = tempDir('sp-shot-test-')))
  afterEach(() => removeDir(out))

  maybe('writes the summary picture, whole, and the console sample with a stable root', () => {
    // Above the script's own limits (two Chromium passes of 30 s at most, the action and the CLI).
    const r = spawnSync(systemNode(), [SCRIPT, '--out', out], { cwd: REPO, encoding: 'utf8', timeout: 110_000 })
    expect({ status: r.status, stderr: r.stderr, error: r.error?.message }).toEqual({ status: 0, stderr: '', error: undefined })
    const said = /summary\.png \((\d+)x(\d+), /.exec(r.stdout)
    expect(said).not.toBeNull()
    expect(r.stdout).toContain('console-sample.txt')

    const png = fs.readFileSync(path.join(out, 'summary.png'))
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR')
    const width = png.readUInt32BE(16)
    const height = png.readUInt32BE(20)
    // The picture is the window: its width, and the height the page measured (so nothing is cut).
    expect([width, height]).toEqual([Number(said?.[1]), Number(said?.[2])])
    expect(width).toBeGreaterThanOrEqual(800)
    expect(width).toBeLessThanOrEqual(1200)
    expect(height).toBeGreaterThan(400)
    expect(height).toBeLessThan(4000)
    expect(png.length).toBeGreaterThan(20 * 1024)
    expect(png.length).toBeLessThan(300 * 1024)

    const text = fs.readFileSync(path.join(out, 'console-sample.txt'), 'utf8')
    expect(text).toContain('$ safe-purge --root /srv/mt5-crs ')
    expect(text).toMatch(/^verified: \d+ protected entries unchanged, every target clean$/m)
    for (const tmp of new Set([os.tmpdir(), fs.realpathSync(os.tmpdir())])) expect(text).not.toContain(tmp)
    expect(text).not.toContain('safe-purge-shot-')
    // The committed sample is what the script writes now (but the filesystem's gain, which other
    // writers move), and the README's excerpt is taken from it.
    const steady = (t: string): string => t.replace(/the filesystem gained \S+ \S+/g, 'the filesystem gained N')
    const committed = fs.readFileSync(path.join(REPO, 'docs', 'console-sample.txt'), 'utf8')
    expect(steady(committed)).toBe(steady(text))
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')
    const excerpt = /The same sample in a terminal[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
    const lines = excerpt.split('\n').filter((l) => l !== '' && l !== '...')
    expect(lines.length).toBeGreaterThan(10)
    for (const line of lines) expect([line, committed.split('\n').includes(line)]).toEqual([line, true])
  }, 120_000)
})
