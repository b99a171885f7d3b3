/**
 * examples/workflows/: the four copyable workflows pass the workflow linter, use the action as
 * OWNER/safe-purge@v1 with only the inputs and outputs action.yml declares, and have the shape
 * each one promises (a gated reset after a dry run, a fleet that collects reports, a log purge
 * that keeps the stack running). A broken copy fails the linter, naming the file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { parse } from 'yaml'
import type { Report } from '../../src/engine/report.js'
import { REPO, systemNode } from '../helpers/action.js'
import { removeDir, tempDir } from '../helpers/tree.js'

const LINTER = path.join(REPO, 'scripts', 'lint-workflows.mjs')
const EXAMPLES = path.join(REPO, 'examples', 'workflows')
const NAMES = ['pre-redeploy.yml', 'reset-button.yml', 'fleet.yml', 'disk-emergency.yml'] as const
const ACTION = 'OWNER/safe-purge@v1'

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
  'working-directory'?: string
}
interface Job {
  'runs-on'?: unknown
  needs?: string | string[]
  if?: string
  environment?: unknown
  concurrency?: { group: string; 'cancel-in-progress'?: boolean }
  strategy?: { 'fail-fast'?: boolean; 'max-parallel'?: number; matrix?: unknown }
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  concurrency?: { group: string; 'cancel-in-progress'?: boolean }
  env?: Record<string, unknown>
  jobs: Record<string, Job>
}

const text = (name: string): string => fs.readFileSync(path.join(EXAMPLES, name), 'utf8')
const workflow = (name: string): Workflow => parse(text(name)) as Workflow
const action = parse(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> }
const isPurge = (s: Step): boolean => typeof s.uses === 'string' && /safe-purge/.test(s.uses)
const purgeSteps = (job: Job): Step[] => job.steps.filter(isPurge)
const needs = (job: Job): string[] => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs))

function lint(...files: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(systemNode(), [LINTER, ...files], { cwd: REPO, encoding: 'utf8', timeout: 60000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Every string inside a value (a job's keys, steps, env...), for finding expressions. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

describe.each(NAMES)('examples/workflows/%s', (name) => {
  const file = path.join(EXAMPLES, name)

  test('exists and passes the workflow linter', () => {
    expect(fs.existsSync(file)).toBe(true)
    expect(lint(file)).toEqual({ status: 0, stdout: 'workflows: 1 files, 0 problems\n', stderr: '' })
  })

  test('opens with what it is for and the OWNER / pinning note', () => {
    const head = text(name).split('\n').slice(0, 10)
    expect(head[0]).toMatch(/^# \S/)
    const comment = head.filter((l) => l.startsWith('#')).join(' ')
    expect(comment).toContain('OWNER: replace with the GitHub account that hosts your copy of safe-purge')
    expect(comment.replace(/\s*#\s*/g, ' ')).toContain('pin a full commit SHA instead of @v1 if you want the exact code you reviewed')
  })

  test('uses the action as OWNER/safe-purge@v1, with inputs action.yml declares', () => {
    const jobs = Object.values(workflow(name).jobs)
    const steps = jobs.flatMap(purgeSteps)
    expect(steps.length).toBeGreaterThan(0)
    for (const step of steps) {
      expect(step.uses).toBe(ACTION)
      for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(key)
    }
    // No other spelling anywhere in the file (a comment, a second step).
    expect(text(name).match(/[\w.-]+\/safe-purge@[\w.-]+/g)).toEqual(steps.map(() => ACTION))
  })

  test('every steps.<id>.outputs.<name> is declared: by action.yml for the purge step, by the step writing it otherwise', () => {
    for (const [jobName, job] of Object.entries(workflow(name).jobs)) {
      for (const expr of strings(job)) {
        for (const m of expr.matchAll(/steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)) {
          const [, id, output] = m
          const step = job.steps.find((s) => s.id === id)
          expect({ job: jobName, id, found: step !== undefined }).toEqual({ job: jobName, id, found: true })
          if (isPurge(step!)) expect(Object.keys(action.outputs)).toContain(output)
          else expect({ id, output, run: step!.run }).toEqual({ id, output, run: expect.stringMatching(new RegExp(`${output}=[\\s\\S]*GITHUB_OUTPUT`)) })
        }
      }
    }
  })

  test('shell scripts get values through env, never ${{ }} pasted in, and bash can parse them', () => {
    const dir = tempDir('sp-examples-')
    try {
      const runs = Object.values(workflow(name).jobs).flatMap((j) => j.steps.map((s) => s.run).filter((r): r is string => r !== undefined))
      expect(runs.length).toBeGreaterThan(0)
      runs.forEach((run, i) => {
        expect(run).not.toContain('${{')
        const script = path.join(dir, `run-${i}.sh`)
        fs.writeFileSync(script, run)
        const r = spawnSync('bash', ['-n', script], { encoding: 'utf8' })
        expect({ script: run, status: r.status, stderr: r.stderr }).toEqual({ script: run, status: 0, stderr: '' })
      })
    } finally {
      removeDir(dir)
    }
  })
})

describe('what each example promises', () => {
  test('pre-redeploy: on push to the deploy branch, on a self-hosted runner; checkout keeps untracked files; forced purge, then the outputs, then compose up', () => {
    const w = workflow('pre-redeploy.yml')
    expect(w.on).toEqual({ push: { branches: ['deploy'] } })
    const [job] = Object.values(w.jobs)
    expect(job['runs-on']).toEqual(['self-hosted', 'trading'])
    const checkout = job.steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'))
    expect(job.steps[checkout].with).toEqual({ clean: false })
    const purge = job.steps.findIndex(isPurge)
    expect(checkout).toBeLessThan(purge)
    expect(job.steps[purge].with).toMatchObject({ force: true })
    expect(job.steps[purge].with).not.toHaveProperty('dry-run')
    const report = job.steps.findIndex((s) => strings(s.env).some((v) => /steps\.purge\.outputs\.verified/.test(v)))
    expect(report).toBeGreaterThan(-1)
    expect(strings(job.steps[report].env).join(' ')).toContain('steps.purge.outputs.freed-bytes')
    const up = job.steps.findIndex((s) => /^docker compose up -d\b/m.test(s.run ?? ''))
    expect(up).toBeGreaterThan(-1)
    expect(purge).toBeLessThan(report)
    expect(purge).toBeLessThan(up)
  })

  test('reset-button: confirm and full inputs; a dry-run job; the real job needs it, runs in an environment, passes confirm and full; resets of one environment never overlap', () => {
    const w = workflow('reset-button.yml')
    const inputs = (w.on.workflow_dispatch as { inputs: Record<string, { type?: string; required?: boolean }> }).inputs
    expect(inputs.confirm.required).toBe(true)
    expect(['boolean', 'choice']).toContain(inputs.full.type)
    const jobs = Object.entries(w.jobs)
    const dry = jobs.filter(([, j]) => purgeSteps(j).some((s) => s.with?.['dry-run'] === true))
    const real = jobs.filter(([, j]) => purgeSteps(j).some((s) => s.with?.['dry-run'] === undefined))
    expect(dry).toHaveLength(1)
    expect(real).toHaveLength(1)
    const [[dryName, dryJob], [, realJob]] = [dry[0], real[0]]
    expect(dryJob.environment).toBeUndefined()
    expect(needs(realJob)).toContain(dryName)
    expect(realJob.environment).toEqual(expect.any(String))
    const [step] = purgeSteps(realJob)
    expect(step.with).toMatchObject({ confirm: '${{ inputs.confirm }}', full: '${{ inputs.full }}' })
    expect(step.with).not.toHaveProperty('force')
    // The same environment decides the runner, the root, the approval and the concurrency group.
    const concurrency = w.concurrency ?? realJob.concurrency
    expect(concurrency).toEqual({ group: expect.stringContaining('${{ inputs.environment }}'), 'cancel-in-progress': false })
    expect(realJob.environment).toBe('${{ inputs.environment }}')
    expect(text('reset-button.yml')).toMatch(/required reviewers[\s\S]*Settings -> Environments/)
  })

  test('fleet: a matrix over runners, fail-fast off, two at a time, a report artifact per runner; a collecting job that needs it, always runs, and tables the reports', () => {
    const w = workflow('fleet.yml')
    const jobs = Object.entries(w.jobs)
    const matrix = jobs.filter(([, j]) => j.strategy !== undefined)
    expect(matrix).toHaveLength(1)
    const [matrixName, purgeJob] = matrix[0]
    expect(purgeJob.strategy).toMatchObject({ 'fail-fast': false, 'max-parallel': 2, matrix: { runner: expect.any(String) } })
    expect(JSON.stringify(purgeJob['runs-on'])).toContain('${{ matrix.runner }}')
    const upload = purgeJob.steps.find((s) => s.uses === 'actions/upload-artifact@v4')
    expect(upload?.if).toMatch(/always\(\)/)
    expect(upload?.with?.name).toMatch(/\$\{\{ matrix\.runner \}\}/)
    expect(text('fleet.yml')).toMatch(/outputs collide/)

    const collect = jobs.filter(([, j]) => needs(j).includes(matrixName))
    expect(collect).toHaveLength(1)
    const [, summary] = collect[0]
    expect(summary.if).toMatch(/always\(\)/)
    const download = summary.steps.find((s) => s.uses === 'actions/download-artifact@v4')
    expect(download?.with).toMatchObject({ pattern: expect.stringMatching(/\*$/), 'merge-multiple': true })
    const table = summary.steps.map((s) => s.run ?? '').join('\n')
    expect(table).toContain('GITHUB_STEP_SUMMARY')
    // The report fields the table reads, checked against the Report type at compile time.
    const fields: [string, (r: Report) => unknown][] = [
      ['.verified', (r) => r.verified],
      ['.ok', (r) => r.ok],
      ['.totals.files', (r) => r.totals.files],
      ['.space.freedBytes', (r) => r.space.freedBytes],
      ['.failures[0]', (r) => r.failures[0]]
    ]
    for (const [field] of fields) expect(table).toContain(field)
    expect(table).toMatch(/exit "\$failed"/)
  })

  test('disk-emergency: scheduled and by hand; logs only, forced, the stack kept running; reports reclaimed-bytes', () => {
    const w = workflow('disk-emergency.yml')
    expect(w.on).toMatchObject({ schedule: [{ cron: expect.any(String) }] })
    expect(w.on).toHaveProperty('workflow_dispatch')
    const [step] = Object.values(w.jobs).flatMap(purgeSteps)
    expect(step.with).toMatchObject({ 'keep-running': true, force: true })
    expect(String(step.with?.ephemeral).trim()).toBe('logs')
    expect(text('disk-emergency.yml')).toContain('steps.purge.outputs.reclaimed-bytes')
  })
})

describe('a broken copy of an example fails the linter, naming the file', () => {
  let dir: string
  beforeEach(() => (dir = tempDir('sp-examples-')))
  afterEach(() => removeDir(dir))

  const brokenCopy = (name: string, from: string | RegExp, to: string): string => {
    const original = text(name)
    const broken = original.replace(from, to)
    expect(broken).not.toBe(original)
    const file = path.join(dir, name)
    fs.writeFileSync(file, broken)
    return file
  }

  test('a misspelt key: runs_on', () => {
    const file = brokenCopy('fleet.yml', '    runs-on: [self-hosted,', '    runs_on: [self-hosted,')
    const r = lint(file)
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('')
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${literal(file)}:\\d+:\\d+: .*runs_on.* \\[syntax-check\\]$`))]))
    expect(lines.at(-1)).toMatch(/^workflows: 1 files, [1-9]\d* problems$/)
  })

  test('a bad expression: an unknown context', () => {
    const file = brokenCopy('reset-button.yml', 'confirm: ${{ inputs.confirm }}', 'confirm: ${{ input.confirm }}')
    const r = lint(file)
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^${literal(file)}:\\d+:\\d+: undefined variable "input"\\. .*\\[expression\\]$`, 'm'))
  })
})

/** s as a RegExp source matching it literally. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
