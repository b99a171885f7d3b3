import { Writable, Readable } from 'node:stream'
import { TerminalUi, cutList, useColor } from '../../src/cli/ui.js'
import { cancelOnSignals } from '../../src/cli/command.js'
import { EventEmitter } from 'node:events'
import type { Plan, TargetPlan } from '../../src/engine/plan.js'

class Capture extends Writable {
  text = ''
  constructor(readonly isTTY: boolean) {
    super()
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString()
    cb()
  }
}

const io = (tty: boolean | { stdout: boolean; stderr: boolean }, env: NodeJS.ProcessEnv = {}, verbose = false) => {
  const t = typeof tty === 'boolean' ? { stdout: tty, stderr: tty } : tty
  const stdout = new Capture(t.stdout)
  const stderr = new Capture(t.stderr)
  return { stdout, stderr, ui: new TerminalUi({ stdin: Readable.from([]), stdout, stderr, env }, { verbose, json: false, dryRun: false }) }
}

const target = (path: string, status: 'present' | 'missing', files: number): TargetPlan =>
  ({ path, status, files, bytes: files * 10, dirs: 0, others: 0, kept: [], keptTotal: 0, counted: true, unreadable: [] }) as unknown as TargetPlan
const plan: Plan = { root: '/r', targets: [target('data/redis', 'missing', 0), target('data/temp', 'present', 10), target('logs', 'present', 40)], totals: { files: 50, bytes: 500, dirs: 0, others: 0, kept: 0 } }

describe('progress', () => {
  test('on a terminal: one refreshed line, labelled as totals over all targets, cleared before the next output', () => {
    const { stdout, ui } = io(true)
    ui.progress({ target: 'logs', files: 12345, bytes: 3 * 1024 * 1024, plannedFiles: 50000, plannedBytes: 0 })
    expect(stdout.text).toBe('\r\x1b[K  purging logs; all targets so far: 12,345 of 50,000 files, 3.0 MiB removed (24%)')
    ui.print('done')
    expect(stdout.text.endsWith('\r\x1b[Kdone\n')).toBe(true)
  })

  test('on a terminal, with the plan known: which target of how many; cut to the terminal width', async () => {
    const { stdout, ui } = io(true)
    await ui.confirmer({ settings: { force: true } as never, root: {} as never, plan, docker: { active: false } as never })
    ui.progress({ target: 'logs', files: 20, bytes: 200, plannedFiles: 50, plannedBytes: 500 })
    expect(stdout.text).toBe('\r\x1b[K  purging logs (2 of 2); all targets so far: 20 of 50 files, 200 B removed (40%)')
    Object.assign(stdout, { columns: 30 })
    ui.progress({ target: 'logs', files: 30, bytes: 300, plannedFiles: 50, plannedBytes: 500 })
    // One column short of the width, so the cursor never wraps to a new row.
    expect(stdout.text.split('\r\x1b[K').pop()).toBe('  purging logs (2 of 2); all ')
  })

  test('not on a terminal: no redraws; a line per phase and per present target with what it alone removed', async () => {
    const { stdout, ui } = io(false)
    await ui.logger.group('Validate', async () => ui.logger.info('root: /r'))
    await ui.confirmer({ settings: { force: true } as never, root: {} as never, plan, docker: { active: false } as never })
    await ui.logger.group('Purge', async () => {
      ui.progress({ target: 'data/redis', files: 0, bytes: 0, plannedFiles: 50, plannedBytes: 500 })
      ui.progress({ target: 'data/temp', files: 10, bytes: 100, plannedFiles: 50, plannedBytes: 500 })
      ui.progress({ target: 'logs', files: 25, bytes: 250, plannedFiles: 50, plannedBytes: 500 })
      ui.progress({ target: 'logs', files: 50, bytes: 500, plannedFiles: 50, plannedBytes: 500 })
    })
    expect(stdout.text).toBe('[1] Validate\n[2] Purge\n  data/temp: 10 file(s), 100 B removed\n  logs: 40 file(s), 400 B removed\n')
  })

  test('target names with control characters are escaped', () => {
    const { stdout, ui } = io(true)
    ui.progress({ target: 'lo\ngs\x1b[2J', files: 1, bytes: 1, plannedFiles: 0, plannedBytes: 0 })
    expect(stdout.text).toContain('lo\\ngs\\x1b[2J')
  })
})

describe('the prompt', () => {
  const tty = (answer: string): Readable => Object.assign(Readable.from([answer]), { isTTY: true })
  const settings = { force: false, full: false, protected: [], configFile: null, keepRunning: false, services: [] } as never

  test('the stack line says what the run will do, not what already happened', async () => {
    const stdout = new Capture(false)
    const ui = new TerminalUi({ stdin: tty('n\n'), stdout, stderr: new Capture(false), env: {} }, { verbose: false, json: false, dryRun: false })
    const docker = { active: true, compose: { command: ['docker', 'compose'] }, project: 'mt5', containers: ['mt5_api_1', 'mt5_redis_1'], exited: ['mt5_old_1'], volumes: [], files: ['compose.yaml'] } as never
    const refusal = await ui.confirmer({ settings, root: { path: '/srv/mt5' } as never, plan, docker })
    expect(refusal).toBe('cancelled: nothing was changed')
    expect(stdout.text).toContain('  Docker: docker compose down, project mt5: will stop and remove the running mt5_api_1, mt5_redis_1; will remove the exited mt5_old_1\n')
    expect(stdout.text).not.toMatch(/stopped/)
  })

  test('--list: the entries that go, before the question; with --force, printed all the same', async () => {
    const listed = {
      ...target('logs', 'present', 2), truncated: [], truncatedFiles: 0,
      kept: [{ path: 'logs/config', reason: 'protected' }], keptTotal: 1,
      listing: { entries: [{ path: 'logs/a.log', kind: 'file', files: 1, bytes: 10, inside: 0, keeps: false }, { path: 'logs/app', kind: 'dir', files: 1, bytes: 10, inside: 1, keeps: false }], more: { entries: 0, files: 0, bytes: 0 } }
    } as unknown as TargetPlan
    const withList: Plan = { ...plan, targets: [listed] }
    const expected = ['  logs:', '    - logs/a.log (10 B)', '    - logs/app/ (1 file(s), 10 B, 1 entry inside)', '    = logs/config (protected)'].join('\n')
    for (const force of [false, true]) {
      const stdout = new Capture(false)
      const ui = new TerminalUi({ stdin: tty('n\n'), stdout, stderr: new Capture(false), env: {} }, { verbose: false, json: false, dryRun: false, list: true })
      await ui.confirmer({ settings: { ...(settings as object), force } as never, root: { path: '/srv/mt5' } as never, plan: withList, docker: { active: false, volumes: [], files: [] } as never })
      expect(stdout.text).toContain(expected)
      expect(stdout.text).toContain('listing (- goes; ~ is emptied, it stays for what stays inside; = stays):')
    }
  })
})

describe('colour', () => {
  test.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: '0', NO_COLOR: '1' }, false]
  ])('tty=%s env=%j -> %s', (tty, env, expected) => {
    expect(useColor({ isTTY: tty as boolean }, env as NodeJS.ProcessEnv)).toBe(expected)
  })

  test.each([
    [{ stdout: true, stderr: false }, {}, true, false],
    [{ stdout: false, stderr: true }, {}, false, true],
    [{ stdout: true, stderr: true }, { NO_COLOR: '1' }, false, false],
    [{ stdout: false, stderr: false }, { FORCE_COLOR: '1' }, true, true]
  ])('each stream decides for itself: %j %j -> stdout %s, stderr %s', async (tty, env, outColour, errColour) => {
    const { stdout, stderr, ui } = io(tty, env, true)
    ui.logger.warning('careful')
    await ui.logger.group('Plan', async () => undefined)
    expect(stdout.text.includes('\x1b[')).toBe(outColour)
    expect(stderr.text.includes('\x1b[')).toBe(errColour)
    expect(stderr.text).toContain('warning: careful')
  })
})

describe('lists shown to a person', () => {
  test('cut lists say how many more there are', () => {
    expect(cutList(['a', 'b', 'c'], 3)).toBe('a, b, c')
    expect(cutList(['a', 'b', 'c', 'd', 'e'], 2)).toBe('a, b, and 3 more')
  })
})

describe('signals', () => {
  test('the first signal cancels; the second only says so; the third quits with 128 + its number', async () => {
    const proc = new EventEmitter()
    const said = new Capture(false)
    const c = cancelOnSignals(proc, said)
    let quit: number | null = null
    void c.forced.then((code) => (quit = code))
    proc.emit('SIGINT')
    expect(c.signal.aborted).toBe(true)
    expect(said.text).toMatch(/SIGINT received: stopping at the next safe point, then verifying/)
    proc.emit('SIGTERM')
    await new Promise((r) => setImmediate(r))
    expect(quit).toBeNull()
    expect(said.text).toMatch(/SIGTERM received: still stopping safely and verifying/)
    proc.emit('SIGTERM')
    await new Promise((r) => setImmediate(r))
    expect(quit).toBe(143)
  })
})
