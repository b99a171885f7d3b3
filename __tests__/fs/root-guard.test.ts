import fs from 'node:fs'
import path from 'node:path'
import { guardRoot } from '../../src/fs/root-guard.js'
import { CLI_NAMES } from '../../src/common/options.js'
import { removeDir, tempDir } from '../helpers/tree.js'

describe('root guard compares device+inode, not strings', () => {
  let base: string
  let home: string
  const genv = () => ({ cwd: base, homes: [home] })
  beforeEach(() => {
    base = tempDir()
    home = path.join(base, 'home', 'runner')
    fs.mkdirSync(path.join(home, 'work', 'app'), { recursive: true })
  })
  afterEach(() => removeDir(base))

  test.each(['/', '//', '/etc/..', '/./', '/usr/../', '/etc', '/usr', '/var', '/tmp', '/home'])('refuses %s', (r) => {
    expect(() => guardRoot(r, genv())).toThrow(expect.objectContaining({ code: 'ERR_ROOT_IS_SYSTEM' }))
  })

  test('refuses a symlink to /', () => {
    fs.symlinkSync('/', path.join(base, 'slash'))
    expect(() => guardRoot(path.join(base, 'slash'), genv())).toThrow(expect.objectContaining({ code: 'ERR_ROOT_IS_SYSTEM' }))
  })

  test('refuses the home directory, a path to it, and any directory above it', () => {
    expect(() => guardRoot(home, genv())).toThrow(expect.objectContaining({ code: 'ERR_ROOT_IS_HOME' }))
    expect(() => guardRoot(`${home}/work/..`, genv())).toThrow(expect.objectContaining({ code: 'ERR_ROOT_IS_HOME' }))
    expect(() => guardRoot(path.join(base, 'home'), genv())).toThrow(expect.objectContaining({ code: 'ERR_ROOT_IS_HOME' }))
    fs.symlinkSync(home, path.join(base, 'to-home'))
    expect(() => guardRoot(path.join(base, 'to-home'), genv())).toThrow(expect.objectContaining({ code: 'ERR_ROOT_IS_HOME' }))
  })

  test('an empty root is refused instead of resolving to the current directory', () => {
    expect(() => guardRoot('', { cwd: home, homes: [home] })).toThrow(expect.objectContaining({ code: 'ERR_ROOT_EMPTY' }))
    expect(() => guardRoot('  ', { cwd: home, homes: [home] })).toThrow(expect.objectContaining({ code: 'ERR_ROOT_EMPTY' }))
    expect(() => guardRoot('.', { cwd: home, homes: [home] })).toThrow(expect.objectContaining({ code: 'ERR_ROOT_IS_HOME' }))
  })

  test('accepts a directory below home, resolving links; name is the real folder name', () => {
    const app = path.join(home, 'work', 'app')
    fs.symlinkSync(app, path.join(base, 'link-to-app'))
    expect(guardRoot(path.join(base, 'link-to-app'), genv())).toMatchObject({ path: fs.realpathSync(app), name: 'app' })
  })

  test('missing roots, files and NUL bytes are refused with one line naming root', () => {
    fs.writeFileSync(path.join(base, 'file'), 'x')
    for (const [r, code] of [[path.join(base, 'nope'), 'ERR_ROOT_MISSING'], [path.join(base, 'file'), 'ERR_ROOT_NOT_DIR'], ['a\0b', 'ERR_ROOT_INVALID']]) {
      try {
        guardRoot(r, genv())
        throw new Error('accepted')
      } catch (err) {
        expect(err).toMatchObject({ code })
        expect((err as Error).message).not.toContain('\n')
        expect((err as Error).message).toMatch(/root/)
      }
    }
  })

  test('the refusal names the fix as the person sets it: the input for the action, the flag for the CLI', () => {
    expect(() => guardRoot('/', genv())).toThrow(/; set root to the environment directory$/)
    expect(() => guardRoot('/', genv(), CLI_NAMES)).toThrow(/; set --root to the environment directory$/)
    expect(() => guardRoot(path.join(base, 'nope'), genv(), CLI_NAMES)).toThrow(/set --root to an existing directory$/)
  })
})
