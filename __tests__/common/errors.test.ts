import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { recoveryHint, shellWord } from '../../src/common/errors.js'
import { makeEnv, removeDir, tempDir } from '../helpers/tree.js'
import { purge } from '../helpers/engine.js'
import { resultLines } from '../../src/engine/report-lines.js'
import { summaryHtml } from '../../src/action/summary-html.js'

describe('recovery hints name paths as words an operator can paste into a shell', () => {
  let dir: string
  beforeEach(() => (dir = tempDir()))
  afterEach(() => removeDir(dir))

  const names = [
    'logs/plain.log',
    '-rf',
    'logs/--help',
    "logs/it's here.log",
    'logs/$(touch PWNED) `touch PWNED2` *.log',
    'logs/evil\n\x1b[31mred\t$HOME.log',
    'logs/c1\u009bx\u007f',
    'logs/ünïcødé <b>&amp;</b>',
    "logs/back\\slash'\n"
  ]

  test.each(names)('%j: bash reads it back as the same single word and runs nothing', (name) => {
    const word = shellWord(name)
    // eslint-disable-next-line no-control-regex
    expect(word).not.toMatch(/[\x00-\x1f\x7f-\x9f]/) // one visible line on a terminal
    const r = spawnSync('bash', ['-c', `printf '%s\\0' ${word}`], { cwd: dir, encoding: 'utf8' })
    expect(r.status).toBe(0)
    const back = r.stdout.split('\0').slice(0, -1)
    expect(back).toEqual([name.startsWith('-') ? `./${name}` : name])
    expect(fs.readdirSync(dir)).toEqual([])
  })

  test('hints quote both the entry and its directory', () => {
    expect(recoveryHint('EACCES', 'logs/a b/c$d')).toContain(`ls -ld 'logs/a b' 'logs/a b/c$d'`)
    expect(recoveryHint('EBUSY', '-x')).toContain('./-x')
    expect(path.basename(shellWord('logs/x'))).toBe('x')
  })
})

describe('the recovery line as printed can be pasted', () => {
  let base: string
  beforeEach(() => (base = tempDir()))
  afterEach(() => removeDir(base))

  test.each(["logs/q'$(touch PWNED)", 'logs/new\nline `touch PWNED`', 'logs/back\\slash'])('%j: the console and the summary show the same words bash reads back', async (name) => {
    const { root } = makeEnv()
    try {
      const report = await purge(root, { 'dry-run': true, force: false })
      const error = { path: name, code: 'EACCES', message: 'permission denied', hint: recoveryHint('EACCES', name) }
      const printed = resultLines({ ...report, errors: [error] }).join('\n')
      const fromSummary = summaryHtml({ ...report, errors: [error] })
      for (const text of [printed, decodeHtml(fromSummary)]) {
        const cmd = /\(ls -ld (.*); lsattr -d (.*) for the immutable flag\)/.exec(text)
        expect(cmd).not.toBeNull()
        const r = spawnSync('bash', ['-c', `printf '%s\\0' ${cmd?.[1]}`], { cwd: base, encoding: 'utf8' })
        expect(r.stdout.split('\0').slice(0, -1)).toEqual([name.slice(0, name.lastIndexOf('/')), name])
        expect(fs.readdirSync(base)).toEqual([])
      }
    } finally {
      removeDir(path.dirname(root))
    }
  })
})

function decodeHtml(html: string): string {
  return html.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
}
