/**
 * The README cannot drift from what the action and the CLI accept: its inputs and outputs tables
 * are generated from action.yml and its CLI synopsis from --help (scripts/docs-tables.mjs), and
 * this test fails when they differ, naming `npm run docs:tables`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { parse } from 'yaml'
import { REPO, systemNode } from '../helpers/action.js'
import { removeDir, tempDir } from '../helpers/tree.js'
import { HELP, SYNOPSIS } from '../../src/cli/args.js'
import { CONFIG_KEYS } from '../../src/engine/config.js'
import { OPTION_KINDS } from '../../src/engine/settings.js'

const SCRIPT = path.join(REPO, 'scripts', 'docs-tables.mjs')
const ACTION = fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8')
const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')

function check(files: { action?: string; readme?: string } = {}): { status: number | null; out: string } {
  const args = [SCRIPT, '--check']
  if (files.action) args.push('--action', files.action)
  if (files.readme) args.push('--readme', files.readme)
  const r = spawnSync(systemNode(), args, { cwd: REPO, encoding: 'utf8', timeout: 30000 })
  return { status: r.status, out: r.stdout + r.stderr }
}

describe('README against action.yml and the CLI', () => {
  let dir: string
  beforeAll(() => (dir = tempDir('sp-docs-')))
  afterAll(() => removeDir(dir))
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name)
    fs.writeFileSync(file, text)
    return file
  }

  test('the README as committed matches', () => {
    const r = check()
    expect(r.out).toBe('docs-tables: README.md matches action.yml and the CLI\n')
    expect(r.status).toBe(0)
  })

  test.each([
    ['a default changed', (a: string) => a.replace('Default: `120`.', 'Default: `60`.')],
    ['a description changed', (a: string) => a.replace('Skip confirmation (automation, e.g. a pre-redeploy step).', 'Skip confirmation.')],
    ['an input added', (a: string) => a.replace('\noutputs:\n', '\n  extra:\n    description: >-\n      Something new. Default: `x`.\n    required: false\n\noutputs:\n')],
    ['an output removed', (a: string) => a.replace(/\n {2}privileged-files:\n {4}description: >-\n(?: {6}.*\n)+/, '\n')]
  ])('%s in action.yml: the check fails, naming the table and the fix', (_what, change) => {
    const changed = change(ACTION)
    expect(changed).not.toBe(ACTION)
    const r = check({ action: write('action.yml', changed), readme: write('README.md', README) })
    expect(r.status).toBe(1)
    expect(r.out).toMatch(/^docs-tables: README\.md differs from action\.yml and the CLI's --help in: (inputs|outputs); run npm run docs:tables and commit README\.md\n$/)
  })

  test('a row removed from the README, or its synopsis edited: the check fails', () => {
    const noRow = README.replace(/\n\| `docker-host` \|.*\|/, '')
    expect(check({ readme: write('README.md', noRow) })).toMatchObject({ status: 1, out: expect.stringContaining('in: inputs;') })
    const synopsis = README.replace('[--keep-running]', '[--keep-running] [--frobnicate]')
    expect(check({ readme: write('README.md', synopsis) })).toMatchObject({ status: 1, out: expect.stringContaining('in: cli-synopsis;') })
  })

  test('every input has its "Default: ..." sentence, and the README shows the synopsis --help prints', () => {
    const action = parse(ACTION)
    for (const [name, spec] of Object.entries<{ description: string }>(action.inputs)) expect([name, / Default: .+\.$/.test(spec.description.replace(/\s+/g, ' '))]).toEqual([name, true])
    expect(HELP.startsWith(`${SYNOPSIS}\n\n`)).toBe(true)
    expect(README).toContain(`\`\`\`text\n${SYNOPSIS}\n\`\`\``)
    expect(SYNOPSIS.split('\n').every((l) => l.length <= 100)).toBe(true)
  })

  test('the inputs the action declares are the options the engine knows, and the config file accepts all but three', () => {
    const inputs = Object.keys(parse(ACTION).inputs)
    expect(inputs.filter((i) => i !== 'root' && i !== 'config').sort()).toEqual(Object.keys(OPTION_KINDS).sort())
    expect([...CONFIG_KEYS].sort()).toEqual(Object.keys(OPTION_KINDS).filter((k) => !['force', 'confirm', 'privileged-image'].includes(k)).sort())
    // --help lists the config file's keys as they are.
    expect(HELP.replace(/\s+/g, ' ')).toContain(`(${CONFIG_KEYS.join(', ')}; not privileged-image, which runs as root)`)
  })

  test('the CLI has a flag spelled like each input (root and config included)', () => {
    const inputs = Object.keys(parse(ACTION).inputs).filter((i) => i !== 'confirm')
    for (const input of inputs) expect([input, HELP]).toEqual([input, expect.stringMatching(new RegExp(`^ {2}(-\\w, )?--${input}\\b`, 'm'))])
  })
})
