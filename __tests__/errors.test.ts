import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { recoveryHint, shellWord } from '../src/errors.js'
import { removeDir, tempDir } from './helpers/tree.js'

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
