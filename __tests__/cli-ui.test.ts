import { Writable, Readable } from 'node:stream'
import { TerminalUi, useColor } from '../src/cli-ui.js'

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

const io = (tty: boolean, env: NodeJS.ProcessEnv = {}) => {
  const stdout = new Capture(tty)
  const stderr = new Capture(tty)
  return { stdout, stderr, ui: new TerminalUi({ stdin: Readable.from([]), stdout, stderr, env }, { verbose: false, json: false, dryRun: false }) }
}

describe('progress', () => {
  test('on a terminal: one refreshed line with files, bytes and percentage, cleared before the next output', () => {
    const { stdout, ui } = io(true)
    ui.progress({ target: 'logs', files: 12345, bytes: 3 * 1024 * 1024, plannedFiles: 50000, plannedBytes: 0 })
    expect(stdout.text).toBe('\r\x1b[K  purging logs: 12,345 files, 3.0 MiB removed (24%)')
    ui.print('done')
    expect(stdout.text.endsWith('\r\x1b[Kdone\n')).toBe(true)
  })

  test('not on a terminal: no progress line at all', () => {
    const { stdout, ui } = io(false)
    ui.progress({ target: 'logs', files: 1, bytes: 1, plannedFiles: 2, plannedBytes: 2 })
    expect(stdout.text).toBe('')
  })

  test('target names with control characters are escaped', () => {
    const { stdout, ui } = io(true)
    ui.progress({ target: 'lo\ngs\x1b[2J', files: 1, bytes: 1, plannedFiles: 0, plannedBytes: 0 })
    expect(stdout.text).toContain('lo\\ngs\\x1b[2J')
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
})
