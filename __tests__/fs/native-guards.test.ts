/**
 * The native helper's own guards, whatever its caller does: the addon is loaded directly from
 * dist/native/, not through the loader, and handed what no engine code would hand it (a buffer
 * another thread rewrites, AT_FDCWD, an fd closed and reused before the thread pool runs the work).
 */
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { removeDir, tempDir } from '../helpers/tree.js'

interface Fsat {
  scan(fd: number, withStat: boolean, async: boolean, restart: boolean): unknown
  unlinkBatch(fd: number, names: Buffer, async: boolean): Int32Array | Promise<Int32Array>
  flags(fd: number, name: unknown): number[] | number
}

const ADDON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'native', 'fsat-linux-x64.node')
const describeNative = process.platform === 'linux' && process.arch === 'x64' ? describe : describe.skip
const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW
const ENAMETOOLONG = 36
const ENOENT = 2
/**
 * A name far longer than PATH_MAX (unlinkat refuses it at once): reading it takes milliseconds,
 * long enough for another thread to get a CPU on a busy machine.
 */
const LONG = 'a'.repeat(1 << 23)
/** A race takes about a second, and some 10 s against the sanitized build (scripts/native-asan.sh). */
const RACE_TIMEOUT = 180000

describeNative('the native helper holds its rules whatever the caller does', () => {
  const h = createRequire(import.meta.url)(ADDON) as Fsat
  let base: string
  beforeEach(() => {
    base = tempDir('sp-guards-')
  })
  afterEach(() => removeDir(base))

  /**
   * Calls unlinkBatch(fd, buf) (or `call`, given the attempt's number) while another thread sets
   * byte `at` of `buf` to `a`, then `b`, over and over; returns each distinct outcome. Each call
   * starts once that thread is seen running (on a busy machine it may wait for a CPU). A refusal
   * is quick and a call that goes through takes a while (it reads a long name), so the calls that
   * go through are counted (50); `before` runs ahead of each call.
   */
  async function race(
    fd: number,
    buf: Buffer,
    at: number,
    a: number,
    b: number,
    before = (): void => {},
    call = (i: number): unknown => h.unlinkBatch(fd, buf, i % 2 === 1)
  ): Promise<Set<string>> {
    const ctl = new Int32Array(new SharedArrayBuffer(12)) // [stop, flips, (a slot to sleep on)]
    const code = `
      const { workerData: w, parentPort } = require('node:worker_threads')
      const u8 = new Uint8Array(w.sab), ctl = new Int32Array(w.ctl)
      parentPort.postMessage('flipping')
      while (Atomics.load(ctl, 0) === 0) { Atomics.store(u8, w.at, w.a); Atomics.store(u8, w.at, w.b); Atomics.add(ctl, 1, 1) }`
    const worker = new Worker(code, { eval: true, workerData: { sab: buf.buffer, ctl: ctl.buffer, at, a, b } })
    const outcomes = new Set<string>()
    try {
      await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject))
      for (let i = 0, through = 0; through < 50 && i < 2000; i++) {
        before()
        const seen = Atomics.load(ctl, 1)
        for (let k = 1; k < 1e6 && Atomics.load(ctl, 1) === seen; k++) if (k % 1000 === 0) Atomics.wait(ctl, 2, 0, 1)
        const o = outcome(await attempt(() => call(i)))
        outcomes.add(o)
        if (!o.startsWith('refused')) through++
      }
    } finally {
      Atomics.store(ctl, 0, 1)
      await new Promise((resolve) => worker.once('exit', resolve))
    }
    return outcomes
  }

  /** `names` in a Buffer over a SharedArrayBuffer, which another thread can write while we read. */
  function shared(names: string): Buffer {
    const buf = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(names, 'latin1')))
    buf.write(names, 'latin1')
    return buf
  }

  /** The call's result, or the error it threw (the helper throws synchronously, async or not). */
  async function attempt(call: () => unknown): Promise<{ result?: unknown; error?: Error }> {
    try {
      return { result: await call() }
    } catch (error) {
      return { error: error as Error }
    }
  }

  /** An unlinkBatch outcome (or a flags one: an errno, or what it found) as one comparable line. */
  function outcome({ result, error }: { result?: unknown; error?: Error }): string {
    if (error) return `refused: ${error.message}`
    if (typeof result === 'number') return `errno: ${result}`
    return Array.isArray(result) ? `found: ${result.join(',')}` : `errnos: ${Array.from(result as Int32Array).join(',')}`
  }

  test('names are checked after they are copied: a thread flipping x to / never gets ../victim unlinked', async () => {
    fs.writeFileSync(path.join(base, 'victim'), 'victim bytes\n')
    fs.mkdirSync(path.join(base, 'd'))
    fs.writeFileSync(path.join(base, 'd', 'keep'), 'keep bytes\n')
    // "..xvictim" is checked first and copied first; the long name keeps the two far apart.
    const buf = shared(`..xvictim\0${LONG}\0`)
    const fd = fs.openSync(path.join(base, 'd'), O_DIR)
    let outcomes: Set<string>
    try {
      outcomes = await race(fd, buf, 2, 'x'.charCodeAt(0), '/'.charCodeAt(0))
    } finally {
      fs.closeSync(fd)
    }
    expect(fs.readFileSync(path.join(base, 'victim'), 'utf8')).toBe('victim bytes\n')
    expect(fs.readFileSync(path.join(base, 'd', 'keep'), 'utf8')).toBe('keep bytes\n')
    expect(fs.readdirSync(base).sort()).toEqual(['d', 'victim'])
    // Each call saw "..xvictim" (not found) or "../victim" (refused whole), never a mix.
    const allowed = ['refused: unlinkBatch: a name holds a slash', `errnos: ${ENOENT},${ENAMETOOLONG}`]
    expect([...outcomes].filter((o) => !allowed.includes(o))).toEqual([])
  }, RACE_TIMEOUT)

  test('a final NUL flipped by another thread is refused, never read past: the batch is all or nothing', async () => {
    fs.writeFileSync(path.join(base, 'outside'), 'outside bytes\n')
    const dir = path.join(base, 'd')
    fs.mkdirSync(dir)
    // What a read past the copy's end could name ("last" then the flipped byte, then whatever).
    fs.writeFileSync(path.join(dir, 'lastx'), 'lastx bytes\n')
    // The final NUL is checked first and last, and copied last; the long name keeps them apart.
    const buf = shared(`${LONG}\0last\0`)
    const fd = fs.openSync(dir, O_DIR)
    let outcomes: Set<string>
    try {
      outcomes = await race(fd, buf, buf.length - 1, 0, 'x'.charCodeAt(0), () => fs.writeFileSync(path.join(dir, 'last'), 'last'))
    } finally {
      fs.closeSync(fd)
    }
    expect(fs.readFileSync(path.join(dir, 'lastx'), 'utf8')).toBe('lastx bytes\n')
    expect(fs.readFileSync(path.join(base, 'outside'), 'utf8')).toBe('outside bytes\n')
    expect(fs.readdirSync(base).sort()).toEqual(['d', 'outside'])
    // Refused whole, or both names handled ("last" removed): never one name dropped or misread.
    const allowed = ['refused: unlinkBatch: names must be NUL-terminated', `errnos: ${ENAMETOOLONG},0`]
    expect([...outcomes].filter((o) => !allowed.includes(o))).toEqual([])
  }, RACE_TIMEOUT)

  test('flags() checks its name after copying it: a thread flipping x to / never gets ../victim looked up', async () => {
    fs.writeFileSync(path.join(base, 'victim'), 'victim bytes\n')
    fs.mkdirSync(path.join(base, 'd'))
    const buf = shared('..xvictim')
    const fd = fs.openSync(path.join(base, 'd'), O_DIR)
    let outcomes: Set<string>
    try {
      outcomes = await race(fd, buf, 2, 'x'.charCodeAt(0), '/'.charCodeAt(0), undefined, () => h.flags(fd, buf))
    } finally {
      fs.closeSync(fd)
    }
    // Each call saw "..xvictim" (not found) or "../victim" (refused), never found the victim.
    const allowed = ['refused: flags: a name holds a slash', `errno: ${ENOENT}`]
    expect([...outcomes].filter((o) => !allowed.includes(o))).toEqual([])
  }, RACE_TIMEOUT)

  test('flags() refuses a name that is not one entry (empty, . or .., a slash, a NUL) or not a Buffer, and needs both arguments', () => {
    fs.mkdirSync(path.join(base, 'd'))
    fs.writeFileSync(path.join(base, 'd', 'keep'), 'keep bytes\n')
    const fd = fs.openSync(path.join(base, 'd'), O_DIR)
    try {
      const refusals = ['', '.', '..', '../d', 'keep/', '/etc', 'keep\0', 'kee\0p', '\0'].map((n) => outcome(attemptSync(() => h.flags(fd, Buffer.from(n)))))
      expect(refusals).toEqual([
        'refused: flags: an empty name, or . or ..',
        'refused: flags: an empty name, or . or ..',
        'refused: flags: an empty name, or . or ..',
        'refused: flags: a name holds a slash',
        'refused: flags: a name holds a slash',
        'refused: flags: a name holds a slash',
        'refused: flags: a name holds a NUL',
        'refused: flags: a name holds a NUL',
        'refused: flags: a name holds a NUL'
      ])
      // The helper's errors come from outside jest's realm: compared by name and message.
      const thrown = (call: () => unknown): string | undefined => {
        const { error } = attemptSync(call)
        return error && `${error.name}: ${error.message}`
      }
      for (const name of ['keep', undefined, 0, {}]) expect(thrown(() => h.flags(fd, name))).toBe('TypeError: flags: name must be a Buffer or null')
      expect(thrown(() => (h.flags as (fd: number) => unknown)(fd))).toBe('TypeError: flags(fd, name)')
      expect(outcome({ result: h.flags(fd, Buffer.from('keep')) })).toMatch(/^found: /)
    } finally {
      fs.closeSync(fd)
    }
  })

  /** attempt() for a synchronous call. */
  function attemptSync(call: () => unknown): { result?: unknown; error?: Error } {
    try {
      return { result: call() }
    } catch (error) {
      return { error: error as Error }
    }
  }

  const fdRefusal = (what: string): string => `RangeError: ${what}: fd must be a directory's fd (a whole number, 0 or more)`
  const calls: [string, (fd: number) => unknown, string][] = [
    ['scan', (fd) => h.scan(fd, true, false, true), fdRefusal('scan')],
    ['scan async', (fd) => h.scan(fd, true, true, true), fdRefusal('scan')],
    ['unlinkBatch', (fd) => h.unlinkBatch(fd, Buffer.from('keep\0'), false), fdRefusal('unlinkBatch')],
    ['unlinkBatch async', (fd) => h.unlinkBatch(fd, Buffer.from('keep\0'), true), fdRefusal('unlinkBatch')],
    ['flags', (fd) => h.flags(fd, Buffer.from('keep')), "RangeError: flags: fd must be an open fd (a whole number, 0 or more)"],
    ['flags of the fd itself', (fd) => h.flags(fd, null), "RangeError: flags: fd must be an open fd (a whole number, 0 or more)"]
  ]
  // AT_FDCWD is -100; 2**32 - 100 is -100 once cut to 32 bits; NaN and 0.5 would become fd 0.
  const fds = [-100, -1, -2, -(2 ** 31), 2 ** 32 - 100, NaN, 0.5]
  test.each(calls)('%s refuses a negative fd (or one that is not a whole number), never acting on the working directory', async (_, call, refusal) => {
    const cwd = path.join(base, 'cwd')
    fs.mkdirSync(cwd)
    fs.writeFileSync(path.join(cwd, 'keep'), 'keep bytes\n')
    const saved = process.cwd()
    process.chdir(cwd)
    const outcomes: unknown[] = []
    try {
      for (const fd of fds) {
        const { result, error } = await attempt(() => call(fd))
        outcomes.push({ fd, result, error: error && `${error.name}: ${error.message}` })
      }
    } finally {
      process.chdir(saved)
    }
    expect(fs.readFileSync(path.join(cwd, 'keep'), 'utf8')).toBe('keep bytes\n')
    expect(fs.readdirSync(cwd)).toEqual(['keep'])
    expect(outcomes).toEqual(fds.map((fd) => ({ fd, result: undefined, error: refusal })))
  })

  test('async work keeps the directory it was given when the caller closes its fd and the number is reused', () => {
    fs.mkdirSync(path.join(base, 'a'))
    fs.mkdirSync(path.join(base, 'b'))
    fs.writeFileSync(path.join(base, 'a', 'f'), 'f in a\n')
    fs.writeFileSync(path.join(base, 'a', 'a-only'), 'a-only bytes\n')
    fs.writeFileSync(path.join(base, 'b', 'f'), 'f in b\n')
    fs.writeFileSync(path.join(base, 'b', 'b-only'), 'b-only bytes\n')
    const fifo = path.join(base, 'fifo')
    execFileSync('mkfifo', [fifo])
    // One pool thread (UV_THREADPOOL_SIZE is read when the pool starts, hence a fresh process),
    // held by an open of a FIFO with no writer; the helper's work queues behind it.
    const child = `
      import fs from 'node:fs'
      const [, addon, a, b, fifo] = process.argv
      const m = { exports: {} }
      process.dlopen(m, addon)
      const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW
      const held = new Promise((resolve, reject) => fs.open(fifo, 'r', (err, fd) => (err ? reject(err) : resolve(fd))))
      const fdA = fs.openSync(a, O_DIR)
      const unlinked = m.exports.unlinkBatch(fdA, Buffer.from('f\\0'), true)
      const scanned = m.exports.scan(fdA, false, true, true)
      fs.closeSync(fdA)
      const fdB = fs.openSync(b, O_DIR)
      const writer = fs.openSync(fifo, 'w') // lets the pool thread go
      const errs = Array.from(await unlinked)
      const r = await scanned
      const listed = []
      for (let i = 0; Array.isArray(r) && i < r[1].length; i += 9) listed.push(r[0].subarray(r[1][i], r[1][i] + r[1][i + 1]).toString())
      for (const fd of [writer, await held, fdB]) fs.closeSync(fd)
      console.log(JSON.stringify({ reused: fdA === fdB, errs, listed: Array.isArray(r) ? listed.sort() : r }))`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, ADDON, path.join(base, 'a'), path.join(base, 'b'), fifo], {
      env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
      encoding: 'utf8',
      timeout: 30000
    })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    expect(fs.readFileSync(path.join(base, 'b', 'f'), 'utf8')).toBe('f in b\n')
    expect(fs.readFileSync(path.join(base, 'b', 'b-only'), 'utf8')).toBe('b-only bytes\n')
    expect(fs.readFileSync(path.join(base, 'a', 'a-only'), 'utf8')).toBe('a-only bytes\n')
    expect(fs.readdirSync(path.join(base, 'a'))).toEqual(['a-only'])
    // reused: b's fd got a's number, so the arrangement happened; the work still acted on a.
    expect(JSON.parse(r.stdout)).toEqual({ reused: true, errs: [0], listed: ['a-only'] })
  })

  test('the duplicates async work runs on are closed when it completes, failed and refused calls included', async () => {
    const dir = path.join(base, 'd')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'keep'), 'keep bytes\n')
    const fd = fs.openSync(dir, O_DIR)
    const real = fs.realpathSync(dir)
    /** Open fds of this process that hold `dir`. */
    const holding = (): string[] =>
      fs.readdirSync('/proc/self/fd').filter((n) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${n}`) === real
        } catch {
          return false // the fd readdir itself used, now closed
        }
      })
    try {
      for (let i = 0; i < 50; i++) {
        await h.scan(fd, true, true, true)
        await h.unlinkBatch(fd, Buffer.from('gone\0'), true)
        await attempt(() => h.unlinkBatch(fd, Buffer.from('../keep\0'), true))
      }
      expect(Array.from(await h.unlinkBatch(999999, Buffer.from('keep\0'), true))).toEqual([9]) // EBADF
      expect(holding()).toEqual([String(fd)])
    } finally {
      fs.closeSync(fd)
    }
    expect(fs.readFileSync(path.join(dir, 'keep'), 'utf8')).toBe('keep bytes\n')
  })
})
