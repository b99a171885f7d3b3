/**
 * Owners and immutable/append-only flags (fs/flags.ts, and the scan behind every StatEntry) on
 * real files with real flags (chattr). Setting them takes root and a filesystem that keeps them:
 * those cases look for one (the temp dir, /var/tmp, the repository's) and are skipped, saying
 * why, when there is none. Every flag set is cleared in a finally, or the temp dir could not be
 * removed. The JavaScript path (no statx) reports the flags as unknown, never as "none".
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Anchor, leaveCwd, setAnchorMode } from '../../src/fs/anchor.js'
import { statBatches, type StatEntry } from '../../src/fs/entries.js'
import { FLAG_APPEND, FLAG_IMMUTABLE, decodeFlags, flagsAt } from '../../src/fs/flags.js'
import { META, native, type NativeHelper } from '../../src/fs/native.js'
import { removeDir } from '../helpers/tree.js'

const isRoot = process.getuid?.() === 0
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64'
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Where chattr +i works (a directory to make temp dirs in), or why nowhere does. */
function chattrPlace(): { place: string | null; why: string } {
  if (!isRoot) return { place: null, why: 'setting immutable/append-only flags needs root' }
  const tried: string[] = []
  for (const place of [os.tmpdir(), '/var/tmp', REPO]) {
    let probe: string | null = null
    try {
      probe = fs.mkdtempSync(path.join(place, 'sp-chattr-probe-'))
      fs.writeFileSync(path.join(probe, 'f'), '')
      const r = spawnSync('chattr', ['+i', path.join(probe, 'f')], { encoding: 'utf8' })
      if (r.status === 0) return { place, why: '' }
      tried.push(`${place}: ${(r.stderr || r.error?.message || `status ${r.status}`).trim()}`)
    } catch (err) {
      tried.push(`${place}: ${(err as Error).message}`)
    } finally {
      if (probe !== null) {
        spawnSync('chattr', ['-i', '-a', path.join(probe, 'f')])
        removeDir(probe)
      }
    }
  }
  return { place: null, why: `chattr +i fails on every filesystem tried (${tried.join('; ')})` }
}

const { place, why } = chattrPlace()
/** A test that sets flags: skipped, with the reason in its title, where they cannot be set. */
const chattrTest = (title: string, fn: () => Promise<void>): void => (place ? test(title, fn) : test.skip(`${title} [skipped: ${why}]`, fn))

/** Sets flag `attr` on each path; throws chattr's message when it cannot. */
function chattr(attr: '+i' | '+a', ...paths: string[]): void {
  for (const p of paths) {
    const r = spawnSync('chattr', [attr, p], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`chattr ${attr} ${p} failed: ${r.stderr}`)
  }
}

/** Clears both flags on each path, whatever was set (every test's finally). */
function clearFlags(...paths: string[]): void {
  for (const p of paths) spawnSync('chattr', ['-i', '-a', p])
}

async function statEntries(a: Anchor): Promise<Map<string, StatEntry>> {
  const out = new Map<string, StatEntry>()
  for await (const batch of statBatches(a, 'd')) for (const e of batch) out.set(e.text, e)
  return out
}

let base: string
let dir: string
beforeEach(() => {
  base = fs.mkdtempSync(path.join(place ?? os.tmpdir(), 'sp-flags-'))
  dir = path.join(base, 'd')
  fs.mkdirSync(dir)
})
afterEach(() => {
  leaveCwd()
  removeDir(base)
})

test.each([
  [-1, null],
  [0, { immutable: false, appendOnly: false }],
  [FLAG_IMMUTABLE, { immutable: true, appendOnly: false }],
  [FLAG_APPEND, { immutable: false, appendOnly: true }],
  [FLAG_IMMUTABLE | FLAG_APPEND, { immutable: true, appendOnly: true }],
  [FLAG_IMMUTABLE | 0x4, { immutable: true, appendOnly: false }]
])('decodeFlags(%s) is %j', (bits, flags) => {
  expect(decodeFlags(bits)).toEqual(flags)
})

const describeNative = onLinuxX64 ? describe : describe.skip

describeNative('with the native helper (statx)', () => {
  const h = native() as NativeHelper

  chattrTest('scan and every StatEntry report the owner and the immutable/append-only bits; a plain entry has none', async () => {
    for (const f of ['plain', 'imm', 'app', 'owned']) fs.writeFileSync(path.join(dir, f), f)
    for (const d of ['immdir', 'appdir']) fs.mkdirSync(path.join(dir, d))
    fs.chownSync(path.join(dir, 'owned'), 1234, 1234)
    const flagged = ['imm', 'app', 'immdir', 'appdir'].map((n) => path.join(dir, n))
    const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW)
    const a = Anchor.open(dir)
    try {
      chattr('+i', flagged[0], flagged[2])
      chattr('+a', flagged[1], flagged[3])
      const want = { plain: [0, 0], imm: [0, 0x10], app: [0, 0x20], owned: [1234, 0], immdir: [0, 0x10], appdir: [0, 0x20] }
      for (const async of [false, true]) {
        const r = async ? await h.scan(fd, true, true, true) : h.scan(fd, true, false, true)
        if (!Array.isArray(r)) throw new Error(`scan: ${r}`)
        const [names, meta] = r
        const got: Record<string, number[]> = {}
        for (let i = 0; i < meta.length; i += META) got[names.subarray(meta[i], meta[i] + meta[i + 1]).toString()] = [meta[i + 7], meta[i + 8]]
        expect(got).toEqual(want)
      }
      const entries = await statEntries(a)
      expect(Object.fromEntries([...entries].map(([n, e]) => [n, [e.uid, e.flags]]))).toEqual(want)
      expect(decodeFlags((entries.get('appdir') as StatEntry).flags)).toEqual({ immutable: false, appendOnly: true })
    } finally {
      clearFlags(...flagged)
      a.close()
      fs.closeSync(fd)
    }
  })

  chattrTest('flagsAt a name and at the directory itself (an immutable directory); what they flag cannot be unlinked, even by root', async () => {
    const immdir = path.join(dir, 'immdir')
    const appdir = path.join(dir, 'appdir')
    for (const d of [immdir, appdir]) {
      fs.mkdirSync(d)
      fs.writeFileSync(path.join(d, 'inside'), 'inside')
    }
    fs.writeFileSync(path.join(dir, 'app'), 'app')
    fs.chownSync(path.join(immdir, 'inside'), 1234, 1234)
    const flagged = [immdir, appdir, path.join(dir, 'app')]
    let parent: Anchor | null = null
    let self: Anchor | null = null
    try {
      chattr('+i', immdir)
      chattr('+a', appdir, path.join(dir, 'app'))
      parent = Anchor.open(dir)
      self = Anchor.open(immdir)
      const dirMode = fs.lstatSync(immdir).mode
      const immutable = { uid: 0, mode: dirMode, flags: { immutable: true, appendOnly: false } }
      expect(flagsAt(self, null)).toEqual(immutable)
      expect(flagsAt(parent, 'immdir')).toEqual(immutable)
      expect(flagsAt(parent, Buffer.from('immdir'))).toEqual(immutable)
      expect(h.flags(self.fd, null)).toEqual([0, dirMode, FLAG_IMMUTABLE])
      expect(flagsAt(self, 'inside')).toEqual({ uid: 1234, mode: fs.lstatSync(path.join(immdir, 'inside')).mode, flags: { immutable: false, appendOnly: false } })
      expect(flagsAt(parent, 'app').flags).toEqual({ immutable: false, appendOnly: true })
      expect(flagsAt(parent, 'appdir').flags).toEqual({ immutable: false, appendOnly: true })
      // What a planner concludes from them: each of these unlinks is refused.
      for (const p of [path.join(immdir, 'inside'), path.join(appdir, 'inside'), path.join(dir, 'app')]) {
        expect(() => fs.unlinkSync(p)).toThrow(expect.objectContaining({ code: 'EPERM' }))
      }
      expect(fs.readFileSync(path.join(immdir, 'inside'), 'utf8')).toBe('inside')
    } finally {
      clearFlags(...flagged)
      parent?.close()
      self?.close()
    }
  })

  test('flagsAt throws what the lstat failed with, naming the path', () => {
    const a = Anchor.open(dir)
    try {
      expect(() => flagsAt(a, 'gone')).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'lstat', message: `ENOENT: no such file or directory, lstat '${dir}/gone'` }))
    } finally {
      a.close()
    }
  })
})

describe('without the native helper (the fallback anchoring, as on other platforms): flags are unknown', () => {
  beforeAll(() => setAnchorMode('recheck'))
  afterAll(() => setAnchorMode('proc'))

  test("the owner and mode come from the lstat; flags are unknown (-1, null), never taken for 'none'", async () => {
    fs.writeFileSync(path.join(dir, 'owned'), 'theirs')
    fs.symlinkSync('/etc', path.join(dir, 'link'))
    if (isRoot) fs.chownSync(path.join(dir, 'owned'), 1234, 1234)
    const st = fs.lstatSync(path.join(dir, 'owned'))
    const a = Anchor.open(dir)
    try {
      const entries = await statEntries(a)
      expect([...entries.values()].map((e) => [e.text, e.uid, e.flags]).sort()).toEqual([
        ['link', fs.lstatSync(path.join(dir, 'link')).uid, -1],
        ['owned', st.uid, -1]
      ])
      expect(flagsAt(a, 'owned')).toEqual({ uid: st.uid, mode: st.mode, flags: null })
      expect(flagsAt(a, 'link').mode & 0o170000).toBe(0o120000)
      expect(flagsAt(a, null)).toEqual({ uid: fs.lstatSync(dir).uid, mode: fs.lstatSync(dir).mode, flags: null })
      expect(() => flagsAt(a, 'gone')).toThrow(expect.objectContaining({ code: 'ENOENT' }))
    } finally {
      a.close()
    }
  })
})
