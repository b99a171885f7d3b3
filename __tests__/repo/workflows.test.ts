/**
 * scripts/lint-workflows.mjs: the repository's workflows pass it, and a broken workflow fails it
 * with one line per problem. GitHub rejects a workflow file it cannot parse whole, so none of its
 * jobs runs and no other check notices: this linter is what catches it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { parse } from 'yaml'
import { REPO, systemNode } from '../helpers/action.js'
import { removeDir, tempDir } from '../helpers/tree.js'

const SCRIPT = path.join(REPO, 'scripts', 'lint-workflows.mjs')

function lint(...files: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(systemNode(), [SCRIPT, ...files], { cwd: REPO, encoding: 'utf8', timeout: 60000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe("the repository's workflows", () => {
  test('pass: every file parses and actionlint finds nothing', () => {
    const r = lint()
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^workflows: \d+ files, 0 problems\n$/)
    expect(r.status).toBe(0)
    // It found them: at least the .github/workflows files (example workflows come on top).
    const count = fs.readdirSync(path.join(REPO, '.github', 'workflows')).filter((f) => /\.ya?ml$/.test(f)).length
    expect(count).toBeGreaterThanOrEqual(2)
    expect(Number(/(\d+) files/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(count)
  })

  test('ci.yml runs the action from the checkout in dry run, and each job once', () => {
    // The regression this linter came with: a job pasted into the dry-run step's `with:`.
    const ci = parse(fs.readFileSync(path.join(REPO, '.github', 'workflows', 'ci.yml'), 'utf8'))
    expect(Object.keys(ci.jobs)).toEqual(expect.arrayContaining(['test', 'test-as-root', 'dry-run']))
    const steps: { id?: string; uses?: string; with?: Record<string, unknown> }[] = ci.jobs['dry-run'].steps
    const purge = steps.find((s) => s.uses === './')
    expect(purge?.with).toEqual({ root: '${{ runner.temp }}/sample', 'dry-run': true })
    expect(steps.indexOf(purge!)).toBeLessThan(steps.length - 1)
  })
})

describe('a broken workflow fails the linter', () => {
  let dir: string
  beforeEach(() => (dir = tempDir('sp-workflows-')))
  afterEach(() => removeDir(dir))

  const write = (name: string, text: string): string => {
    const file = path.join(dir, name)
    fs.writeFileSync(file, text)
    return file
  }

  test('a YAML syntax error: file:line:col and the message, exit 1, no crash trace', () => {
    // Line 8 is indented one column past the step it belongs to.
    const file = write('broken.yml', ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - run: echo hi', '       name: bad indent', ''].join('\n'))
    const r = lint(file)
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('')
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(new RegExp(`^${literal(file)}:8:\\d+: \\S.* \\[yaml\\]$`))
    expect(lines.at(-1)).toMatch(/^workflows: 1 files, [1-9]\d* problems$/)
    expect(r.stdout).not.toMatch(/RuntimeError|wasm|\n\s+at /)
  })

  test("well-formed YAML that GitHub would reject: actionlint's messages, exit 1", () => {
    const file = write(
      'invalid.yml',
      ['on: push', 'jobs:', '  build:', '    step:', '      - run: echo "${{ github.sha }}"', '    steps:', '      - run: echo "${{ nosuch.context }}"', ''].join('\n')
    )
    const r = lint(file)
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('')
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).toEqual(
      expect.arrayContaining([
        `${file}:3:3: "runs-on" section is missing in job "build" [syntax-check]`,
        expect.stringMatching(new RegExp(`^${literal(file)}:4:5: unexpected key "step" for "job" section\\. .*\\[syntax-check\\]$`)),
        expect.stringMatching(new RegExp(`^${literal(file)}:7:\\d+: undefined variable "nosuch"\\. .*\\[expression\\]$`))
      ])
    )
    expect(lines.at(-1)).toBe('workflows: 1 files, 3 problems')
  })

  test('every file is linted and counted; a good one next to a bad one adds nothing', () => {
    // vars, a newer runner label and the README's self-hosted label: valid on GitHub, unknown to
    // the actionlint the wasm package bundles (the script drops those false positives).
    const good = write('good.yaml', ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-24.04', '    steps:', '      - run: echo "$X"', '        env:', '          X: ${{ vars.X }}', '  reset:', '    runs-on: [self-hosted, trading]', '    steps:', '      - run: "true"', ''].join('\n'))
    const bad = write('bad.yml', 'on: push\njobs:\n  build:\n    steps:\n      - run: "true"\n')
    const missing = path.join(dir, 'missing.yml')
    const r = lint(good, bad, missing)
    expect(r.status).toBe(1)
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `${bad}:3:3: "runs-on" section is missing in job "build" [syntax-check]`,
      expect.stringMatching(new RegExp(`^${literal(missing)}:0:0: ENOENT: .* \\[read\\]$`)),
      'workflows: 3 files, 2 problems'
    ])
    expect(lint(good)).toEqual({ status: 0, stdout: 'workflows: 1 files, 0 problems\n', stderr: '' })
  })
})

/** s as a RegExp source matching it literally. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
