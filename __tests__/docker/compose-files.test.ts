import fs from 'node:fs'
import path from 'node:path'
import {
  DEFAULT_COMPOSE_FILES,
  dotEnvProjectName,
  externalVolumes,
  findComposeFiles,
  normalizeProjectName,
  projectName
} from '../../src/docker/compose-files.js'
import { makeTree, removeDir, tempDir, type TreeSpec } from '../helpers/tree.js'
import { loadYaml } from '../../src/common/yaml.js'
import { CLI_NAMES } from '../../src/common/options.js'

// The engine loads the YAML parser before it reads compose files (src/yaml.ts).
beforeAll(loadYaml)

const SERVICE = 'services:\n  app:\n    image: x\n'

const dirs: string[] = []
/** A fresh temp root holding `spec`, removed after the file's tests. */
function root(spec: TreeSpec, name?: string): string {
  const base = tempDir('sp-cf-')
  dirs.push(base)
  const dir = name ? path.join(base, name) : base
  fs.mkdirSync(dir, { recursive: true })
  makeTree(dir, spec)
  return dir
}
afterAll(() => dirs.forEach(removeDir))

/** The coded error `fn` throws, or a failing expectation when it does not. */
function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code ?? 'uncoded'
  }
  throw new Error('expected a coded error, nothing was thrown')
}

describe('normalizeProjectName: Compose rules (lowercase, a-z 0-9 - _, starts with a letter or digit)', () => {
  test.each([
    ['myapp', 'myapp'],
    ['MyApp', 'myapp'],
    ['My.App', 'myapp'],
    ['my app', 'myapp'],
    ['mt5-trading_env', 'mt5-trading_env'],
    ['_leading', 'leading'],
    ['--x', 'x'],
    ['-_-9lives', '9lives'],
    ['keeps-inner_-sep', 'keeps-inner_-sep'],
    ['ÄÖÜ-ok', 'ok'],
    ['räksmörgås', 'rksmrgs'],
    ['...', ''],
    ['', '']
  ])('%j -> %j', (input, expected) => {
    expect(normalizeProjectName(input)).toBe(expected)
  })
})

describe('findComposeFiles: defaults', () => {
  test.each<[string, string[], string[]]>([
    ['nothing', [], []],
    ['compose.yaml only', ['compose.yaml'], ['compose.yaml']],
    ['compose.yaml wins over compose.yml', ['compose.yml', 'compose.yaml'], ['compose.yaml']],
    ['compose.yml wins over docker-compose.*', ['docker-compose.yml', 'compose.yml'], ['compose.yml']],
    // compose-go's order: docker-compose.yml before docker-compose.yaml.
    ['docker-compose.yml wins over docker-compose.yaml', ['docker-compose.yaml', 'docker-compose.yml'], ['docker-compose.yml']],
    ['docker-compose.yaml alone', ['docker-compose.yaml'], ['docker-compose.yaml']],
    // The seed's prod file is a standalone stack: merged over docker-compose.yml, v1 fails on two
    // `version:` values and v2 merges two unrelated stacks.
    ['prod file next to the default: not merged, the default alone', ['docker-compose.yml', 'docker-compose.prod.yml'], ['docker-compose.yml']],
    ['prod file alone is used alone', ['docker-compose.prod.yml'], ['docker-compose.prod.yml']],
    ['override file follows the default', ['compose.yaml', 'compose.override.yaml'], ['compose.yaml', 'compose.override.yaml']],
    ['first override wins', ['docker-compose.yml', 'docker-compose.override.yml', 'compose.override.yml'], ['docker-compose.yml', 'compose.override.yml']],
    ['override, never prod', ['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml'], ['docker-compose.yml', 'docker-compose.override.yml']],
    ['override without a default file is not used', ['compose.override.yml'], []],
    ['all four defaults: the first in order', [...DEFAULT_COMPOSE_FILES].reverse(), ['compose.yaml']]
  ])('%s', (_, present, expected) => {
    const r = root(Object.fromEntries(present.map((f) => [f, SERVICE])))
    expect(findComposeFiles(r, [])).toEqual(expected)
  })

  test('a directory named like a compose file is not a compose file', () => {
    const r = root({ 'compose.yaml': null, 'docker-compose.yml': SERVICE })
    expect(findComposeFiles(r, [])).toEqual(['docker-compose.yml'])
  })
})

describe('findComposeFiles: given files', () => {
  const spec: TreeSpec = { 'compose.yaml': SERVICE, 'deploy/stack.yml': SERVICE, 'docker-compose.prod.yml': SERVICE }

  test.each<[string[], string[]]>([
    [['compose.yaml'], ['compose.yaml']],
    [['./compose.yaml'], ['compose.yaml']],
    [[' deploy/stack.yml '], ['deploy/stack.yml']],
    [['deploy/stack.yml', 'docker-compose.prod.yml'], ['deploy/stack.yml', 'docker-compose.prod.yml']]
  ])('%j -> %j (only the given ones, no defaults added)', (given, expected) => {
    expect(findComposeFiles(root(spec), given)).toEqual(expected)
  })

  test.each([
    ['absolute', '/etc/compose.yaml'],
    ['parent', '../compose.yaml'],
    ['parent inside', 'deploy/../../compose.yaml'],
    ['blank', '   '],
    ['only ./', './'],
    ['missing', 'nope.yml'],
    ['a directory', 'deploy'],
    ['missing in a folder', 'deploy/other.yml'],
    ['double slash (would escape the exact-path protection)', 'deploy//stack.yml'],
    ['dot segment inside', 'deploy/./stack.yml']
  ])('%s (%j) -> ERR_COMPOSE_FILE', (_, given) => {
    expect(codeOf(() => findComposeFiles(root(spec), [given]))).toBe('ERR_COMPOSE_FILE')
  })

  test('an absolute path to an existing file inside root is still refused', () => {
    const r = root(spec)
    expect(codeOf(() => findComposeFiles(r, [path.join(r, 'compose.yaml')]))).toBe('ERR_COMPOSE_FILE')
  })
})

describe('projectName: precedence input > COMPOSE_PROJECT_NAME > .env > name: > project folder', () => {
  const named = (n: string): string => `name: ${n}\n${SERVICE}`
  const full: TreeSpec = { 'compose.yaml': named('FromFile'), '.env': 'COMPOSE_PROJECT_NAME=from_dotenv\n' }

  test.each<[string, TreeSpec, string[], string, NodeJS.ProcessEnv, string]>([
    ['input wins over everything', full, ['compose.yaml'], 'input_name', { COMPOSE_PROJECT_NAME: 'fromenv' }, 'input_name'],
    ['env wins over .env and name:', full, ['compose.yaml'], '', { COMPOSE_PROJECT_NAME: 'FromEnv' }, 'fromenv'],
    ['.env wins over name:', full, ['compose.yaml'], '', {}, 'from_dotenv'],
    ['blank env is unset', full, ['compose.yaml'], '  ', { COMPOSE_PROJECT_NAME: ' ' }, 'from_dotenv'],
    ['name: when nothing else', { 'compose.yaml': named('FromFile') }, ['compose.yaml'], '', {}, 'fromfile'],
    ['the last name: among the files wins', { 'a.yml': named('first'), 'b.yml': named('second'), 'c.yml': SERVICE }, ['a.yml', 'b.yml', 'c.yml'], '', {}, 'second'],
    ['.env without COMPOSE_PROJECT_NAME is ignored', { 'compose.yaml': SERVICE, '.env': 'API_KEY=secret\n' }, ['compose.yaml'], '', {}, 'myenv'],
    ['root folder name, normalized', { 'compose.yaml': SERVICE }, ['compose.yaml'], '', {}, 'myenv'],
    // Compose's project directory is the folder of the first file, and .env is read there.
    ['folder of the first compose file', { 'deploy/stack.yml': SERVICE, '.env': 'COMPOSE_PROJECT_NAME=rootenv\n' }, ['deploy/stack.yml'], '', {}, 'deploy'],
    ['.env of that folder', { 'deploy/stack.yml': SERVICE, 'deploy/.env': 'COMPOSE_PROJECT_NAME=deployenv\n' }, ['deploy/stack.yml'], '', {}, 'deployenv'],
    ['no compose file: the root folder', {}, [], '', {}, 'myenv']
  ])('%s', (_, spec, files, given, env, expected) => {
    expect(projectName(root(spec, 'My.Env'), files, given, env)).toBe(expected)
  })

  test('a derived name with no usable characters is ERR_COMPOSE_PROJECT', () => {
    expect(codeOf(() => projectName(root({ 'compose.yaml': SERVICE }), ['compose.yaml'], '', { COMPOSE_PROJECT_NAME: '...' }))).toBe('ERR_COMPOSE_PROJECT')
  })

  test('an unparsable compose file is ERR_COMPOSE_PARSE when its name: is needed', () => {
    expect(codeOf(() => projectName(root({ 'compose.yaml': 'services: [\n' }), ['compose.yaml'], '', {}))).toBe('ERR_COMPOSE_PARSE')
  })
})

describe('projectName: the compose-project input is used as given, or refused', () => {
  const r = (): string => root({ 'compose.yaml': `name: fromfile\n${SERVICE}` }, 'My.Env')

  test.each([['mt5'], ['mt5-trading_env'], ['9lives'], ['a'], ['x_-_y'], ['  padded  ']])('%j is valid', (given) => {
    expect(projectName(r(), ['compose.yaml'], given, {})).toBe(given.trim())
  })

  // Normalizing these would name another project (MyApp -> myapp): the run would stop the wrong stack.
  test.each([['MyApp'], ['my.app'], ['my app'], ['_leading'], ['-dash'], ['räksmörgås'], ['a/b'], ['...']])('%j is refused, naming compose-project', (given) => {
    let err: unknown
    try {
      projectName(r(), ['compose.yaml'], given, { COMPOSE_PROJECT_NAME: 'fromenv' })
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({ code: 'ERR_COMPOSE_PROJECT' })
    const msg = (err as Error).message
    expect(msg).toContain(`compose-project ${JSON.stringify(given)} is not a valid Compose project name`)
    expect(msg).toContain('set compose-project')
    expect(msg).not.toContain('\n')
  })

  test('a derived name is still normalized (folder, COMPOSE_PROJECT_NAME, name:)', () => {
    expect(projectName(root({ 'compose.yaml': SERVICE }, 'My.Env'), ['compose.yaml'], '', {})).toBe('myenv')
    expect(projectName(r(), ['compose.yaml'], '', { COMPOSE_PROJECT_NAME: 'From.Env' })).toBe('fromenv')
    expect(projectName(root({ 'compose.yaml': `name: From.File\n${SERVICE}` }), ['compose.yaml'], '', {})).toBe('fromfile')
  })
})

describe('errors name the option as the CLI user sets it', () => {
  test('--compose-project and --compose-file', () => {
    const r = root({ 'compose.yaml': SERVICE }, 'env')
    expect(() => projectName(r, ['compose.yaml'], 'My.App', {}, CLI_NAMES)).toThrow(/^--compose-project "My\.App" is not a valid Compose project name.*: set --compose-project to /)
    expect(() => findComposeFiles(r, ['nope.yml'], CLI_NAMES)).toThrow(/^--compose-file "nope\.yml" does not exist in root: fix --compose-file /)
  })
})

describe('dotEnvProjectName: the .env syntax Compose accepts', () => {
  test.each([
    ['plain', 'COMPOSE_PROJECT_NAME=plain\n', 'plain'],
    ['export prefix and spaces', '  export COMPOSE_PROJECT_NAME = spaced  \n', 'spaced'],
    ['double quotes', 'COMPOSE_PROJECT_NAME="quoted" # comment\n', 'quoted'],
    ['single quotes', "COMPOSE_PROJECT_NAME='single'\n", 'single'],
    ['inline comment', 'COMPOSE_PROJECT_NAME=value # the stack\n', 'value'],
    ['CRLF', 'A=1\r\nCOMPOSE_PROJECT_NAME=crlf\r\n', 'crlf'],
    ['last assignment wins', 'COMPOSE_PROJECT_NAME=one\nCOMPOSE_PROJECT_NAME=two\n', 'two'],
    ['commented out', '# COMPOSE_PROJECT_NAME=no\n', ''],
    ['other keys only', 'MY_COMPOSE_PROJECT_NAME=no\nCOMPOSE_PROJECT_NAME_X=no\n', ''],
    ['empty value', 'COMPOSE_PROJECT_NAME=\n', '']
  ])('%s', (_, text, expected) => {
    expect(dotEnvProjectName(root({ '.env': text }))).toBe(expected)
  })

  test('no .env, or a directory named .env, means no name', () => {
    expect(dotEnvProjectName(root({}))).toBe('')
    expect(dotEnvProjectName(root({ '.env': null }))).toBe('')
  })
})

describe('externalVolumes: keys declared external, the real names they refer to, the name of every key', () => {
  test.each<[string, string, string[], string[], [string, string | null][]]>([
    ['none', 'volumes:\n  data: {}\n', [], [], [['data', null]]],
    ['no volumes section', SERVICE, [], [], []],
    ['external: true uses the key as the name', 'volumes:\n  shared:\n    external: true\n', ['shared'], ['shared'], [['shared', 'shared']]],
    ['external: true with name:', 'volumes:\n  shared:\n    external: true\n    name: real_shared\n', ['shared'], ['real_shared'], [['shared', 'real_shared']]],
    ['legacy external: {name: ...}', 'volumes:\n  old:\n    external:\n      name: legacy_name\n', ['old'], ['legacy_name'], [['old', 'legacy_name']]],
    ['legacy external: {} without name', 'volumes:\n  old:\n    external: {}\n', ['old'], ['old'], [['old', 'old']]],
    ['external: false is not external', 'volumes:\n  data:\n    external: false\n', [], [], [['data', null]]],
    ['a null definition', 'volumes:\n  data:\n', [], [], [['data', null]]],
    ['a non-external volume with a custom name', 'volumes:\n  data:\n    name: custom\n', [], [], [['data', 'custom']]]
  ])('%s', (_, text, keys, names, byKey) => {
    const r = root({ 'compose.yaml': text })
    const ext = externalVolumes(r, ['compose.yaml'])
    expect([...ext.keys].sort()).toEqual(keys)
    expect([...ext.names].sort()).toEqual(names)
    expect([...ext.byKey]).toEqual(byKey)
  })

  test('a later file merges into an earlier definition: a bare mention keeps the name, external stays external', () => {
    const r = root({
      'a.yml': 'volumes:\n  data:\n    name: custom\n  shared:\n    external: true\n    name: company\n',
      'b.yml': 'volumes:\n  data:\n  shared:\n  more:\n'
    })
    expect([...externalVolumes(r, ['a.yml', 'b.yml']).byKey]).toEqual([['data', 'custom'], ['shared', 'company'], ['more', null]])
  })

  test('declarations from every file add up', () => {
    const r = root({ 'a.yml': 'volumes:\n  one:\n    external: true\n', 'b.yml': 'volumes:\n  two:\n    external: true\n    name: second\n' })
    const ext = externalVolumes(r, ['a.yml', 'b.yml'])
    expect([...ext.keys].sort()).toEqual(['one', 'two'])
    expect([...ext.names].sort()).toEqual(['one', 'second'])
  })

  test('no files: nothing is external', () => {
    const ext = externalVolumes(root({}), [])
    expect(ext.keys.size + ext.names.size).toBe(0)
  })

  test('an unparsable file is ERR_COMPOSE_PARSE', () => {
    expect(codeOf(() => externalVolumes(root({ 'compose.yaml': 'volumes: {\n' }), ['compose.yaml']))).toBe('ERR_COMPOSE_PARSE')
  })
})
