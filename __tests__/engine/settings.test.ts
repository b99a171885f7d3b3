import fs from 'node:fs'
import path from 'node:path'
import { buildSettings, parseBoolean, parseOption, DEFAULT_EPHEMERAL } from '../../src/engine/settings.js'
import { loadConfig, parseConfig } from '../../src/engine/config.js'
import { makeTree, removeDir, tempDir } from '../helpers/tree.js'

describe('booleans accept only the YAML 1.2 core-schema spellings', () => {
  test.each(['true', 'True', 'TRUE'])('%s is true', (v) => expect(parseBoolean(v, 'input force')).toBe(true))
  test.each(['false', 'False', 'FALSE'])('%s is false', (v) => expect(parseBoolean(v, 'input force')).toBe(false))
  test.each(['yes', 'no', 'on', 'off', '1', '0', 'y', 'tRue', ''])('%j is refused, naming the input', (v) => {
    expect(() => parseBoolean(v, 'input dry-run')).toThrow(expect.objectContaining({ code: 'ERR_BAD_BOOLEAN', message: expect.stringContaining('input dry-run') }))
  })
})

describe('parseOption', () => {
  test('lists split on lines, blank lines only separate', () => {
    expect(parseOption('ephemeral', 'logs\n\n  data/redis  \r\ncache\n', 'input ephemeral')).toEqual(['logs', 'data/redis', 'cache'])
  })
  test('docker mode and timeout are validated', () => {
    expect(parseOption('docker', 'required', 'x')).toBe('required')
    expect(() => parseOption('docker', 'maybe', 'input docker')).toThrow(/auto, required or off/)
    expect(parseOption('privileged', ' container ', 'x')).toBe('container')
    expect(() => parseOption('privileged', 'root', 'input privileged')).toThrow(/input privileged must be auto, sudo, container or off/)
    expect(parseOption('docker-timeout', '30', 'x')).toBe(30)
    expect(() => parseOption('docker-timeout', '-1', 'input docker-timeout')).toThrow(/seconds/)
  })
})

describe('buildSettings precedence: inputs > config file > defaults', () => {
  test('defaults are non-destructive', () => {
    const s = buildSettings('/r', null)
    expect(s).toMatchObject({ dryRun: false, force: false, confirm: '', full: false, docker: 'auto', ephemeral: DEFAULT_EPHEMERAL })
  })
  test('a higher source wins key by key; protection lists add up', () => {
    const s = buildSettings('/r', '.safe-purge.yml', { full: true, protected: ['a'] }, { full: false, 'dry-run': true, protected: ['b'], ephemeral: ['cache'] })
    expect(s.full).toBe(true)
    expect(s.dryRun).toBe(true)
    expect(s.ephemeral).toEqual(['cache'])
    expect(s.protected).toEqual(['a', 'b'])
    expect(s.configFile).toBe('.safe-purge.yml')
  })
})

describe('config file', () => {
  let root: string
  beforeEach(() => (root = tempDir()))
  afterEach(() => removeDir(root))

  test('absent default file is fine; absent explicit file is an error', async () => {
    expect(await loadConfig(root, '')).toEqual({ file: null, options: {} })
    await expect(loadConfig(root, 'purge.yml')).rejects.toThrow(expect.objectContaining({ code: 'ERR_CONFIG_READ' }))
  })

  test('reads the same keys as the inputs', async () => {
    makeTree(root, { '.safe-purge.yml': 'dry-run: true\nfull: false\nephemeral:\n  - logs\n  - cache\nprotected: |\n  *.ckpt\n  keep/\ndocker: off\ndocker-timeout: 30\ncompose-project: 42\n' })
    expect(await loadConfig(root, '')).toEqual({
      file: '.safe-purge.yml',
      options: { 'dry-run': true, full: false, ephemeral: ['logs', 'cache'], protected: ['*.ckpt', 'keep/'], docker: 'off', 'docker-timeout': 30, 'compose-project': '42' }
    })
  })

  test.each([
    ['frobnicate: 1\n', /unknown key "frobnicate"/],
    ['constructor: 1\n', /unknown key "constructor"/],
    ['toString: x\n', /unknown key "toString"/],
    ['root: /\n', /root cannot be set/],
    ['full: yes\n', /full must be true or false/],
    ['force: true\n', /force cannot be set in the config file/],
    ['force: false\n', /force cannot be set in the config file/],
    ['confirm: env\n', /confirm cannot be set in the config file/],
    ['privileged-image: evil:latest\n', /privileged-image cannot be set in the config file \(the image runs as root/],
    ['privileged: always\n', /privileged must be auto, sudo, container or off, got "always"/],
    ['privileged: true\n', /privileged must be auto, sudo, container or off, got true/],
    ['compose-project: " "\n', /config \.safe-purge\.yml: compose-project is blank/],
    ['compose-file: "  "\n', /config \.safe-purge\.yml: compose-file is blank/],
    ['dry-run: "yes"\n', /config \.safe-purge\.yml: dry-run must be true or false \(YAML 1\.2 spelling\), got "yes"/],
    ['ephemeral: [1, 2]\n', /ephemeral must be a list of strings/],
    ['docker: sometimes\n', /auto, required or off/],
    ['- a\n- b\n', /must be a mapping/],
    ['full: true\nfull: false\n', /not valid YAML/],
    ['a: [\n', /not valid YAML/]
  ])('%j is refused: %s', async (text, msg) => {
    await expect(parseConfig(text, '.safe-purge.yml')).rejects.toThrow(msg)
  })

  test('quoted "true" and "false" read like the action\'s string inputs', async () => {
    expect(await parseConfig('full: "true"\ndry-run: \'False\'\nkeep-running: " TRUE "\n', '.safe-purge.yml')).toEqual({ full: true, 'dry-run': false, 'keep-running': true })
  })

  test('an unknown key: did you mean the closest accepted key, and the list of accepted keys (not force, confirm, privileged-image)', async () => {
    const err = await parseConfig('ephemerall:\n  - logs\n', 'fleet.yml').catch((e: Error) => e)
    expect(err).toMatchObject({ code: 'ERR_CONFIG_KEY' })
    const message = (err as Error).message
    expect(message).toMatch(/^config file fleet\.yml: unknown key "ephemerall"; did you mean ephemeral\? the file accepts: dry-run, full, ephemeral, protected, docker, /)
    const accepted = message.split('the file accepts: ')[1].split(', ')
    expect(accepted).not.toEqual(expect.arrayContaining(['force']))
    expect(accepted).not.toContain('confirm')
    expect(accepted).not.toContain('privileged-image')
    expect(accepted).toContain('privileged')
    // Far from every key: no guess.
    expect(await parseConfig('frobnicate: 1\n', 'x.yml').catch((e: Error) => e.message)).not.toMatch(/did you mean/)
    expect(await parseConfig('protectd: x\n', 'x.yml').catch((e: Error) => e.message)).toMatch(/did you mean protected\?/)
  })

  test('a config file named explicitly may live outside the root: read, reported by its absolute path', async () => {
    const shared = tempDir('sp-fleet-')
    try {
      fs.writeFileSync(path.join(shared, 'fleet.yml'), 'ephemeral:\n  - logs\nprotected:\n  - "*.ckpt"\n')
      const abs = await loadConfig(root, path.join(shared, 'fleet.yml'))
      expect(abs).toEqual({ file: path.join(shared, 'fleet.yml'), options: { ephemeral: ['logs'], protected: ['*.ckpt'] } })
      const rel = await loadConfig(root, path.relative(root, path.join(shared, 'fleet.yml')))
      expect(rel.options).toEqual(abs.options)
      expect(path.isAbsolute(rel.file as string)).toBe(true)
      // A file inside the root, named through .., is the root's own: root-relative (and so protected).
      fs.mkdirSync(path.join(root, 'deploy'), { recursive: true })
      fs.writeFileSync(path.join(root, 'deploy', 'sp.yml'), 'full: false\n')
      expect((await loadConfig(root, 'deploy/../deploy/sp.yml')).file).toBe('deploy/sp.yml')
      // A name that only starts with two dots is inside the root (and so protected).
      fs.writeFileSync(path.join(root, '..cfg.yml'), 'full: false\n')
      expect((await loadConfig(root, '..cfg.yml')).file).toBe('..cfg.yml')
      // A link inside the root is protected under the name given; a root named through a link still
      // finds its own file inside it.
      fs.symlinkSync('deploy/sp.yml', path.join(root, 'linked.yml'))
      expect((await loadConfig(root, 'linked.yml')).file).toBe('linked.yml')
      const viaLink = path.join(shared, 'root-link')
      fs.symlinkSync(root, viaLink)
      expect((await loadConfig(viaLink, path.join(fs.realpathSync(root), 'deploy', 'sp.yml'))).file).toBe('deploy/sp.yml')
      // Blank entries in a list are named with the key and the file, where they were written.
      fs.writeFileSync(path.join(root, 'bad.yml'), 'protected:\n  - ok\n  - "  "\n')
      await expect(loadConfig(root, 'bad.yml')).rejects.toThrow('config bad.yml: protected pattern #2 is empty: remove the blank entry from config bad.yml: protected')
      // Named and missing: an error that says where it looked.
      await expect(loadConfig(root, '../nope.yml')).rejects.toThrow(expect.objectContaining({ code: 'ERR_CONFIG_READ', message: expect.stringContaining('relative to the root') }))
    } finally {
      removeDir(shared)
    }
  })

  test('an empty file sets nothing', async () => {
    fs.writeFileSync(path.join(root, '.safe-purge.yml'), '# nothing\n')
    expect((await loadConfig(root, '')).options).toEqual({})
  })
})
