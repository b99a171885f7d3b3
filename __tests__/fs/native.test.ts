/**
 * The native helper (addon/fsat.c) on its own: directory scans, unlink batches and flags()
 * relative to a directory fd, on real trees. (engine.test.ts checks which walker each jest project
 * uses; flags.test.ts sets real immutable and append-only flags.)
 */
import fs from 'node:fs'
import path from 'node:path'
import { META, native, nativeStatus, type NativeHelper } from '../../src/fs/native.js'
import { removeDir, tempDir } from '../helpers/tree.js'

const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64'
const isRoot = process.getuid?.() === 0

test('the helper is loaded on linux-x64: the committed binary works', () => {
  if (onLinuxX64) expect(nativeStatus()).toBe('native')
})

const describeNative = onLinuxX64 ? describe : describe.skip

describeNative('native helper', () => {
  let base: string
  let h: NativeHelper
  beforeEach(() => {
    base = tempDir('sp-native-')
    h = native() as NativeHelper
  })
  afterEach(() => removeDir(base))

  const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW

  /** Every entry of the directory fd, through scan, from the start. */
  async function scanAll(fd: number, withStat: boolean, async: boolean): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>()
    for (let first = true; ; first = false) {
      const r = async ? await h.scan(fd, withStat, true, first) : h.scan(fd, withStat, false, first)
      if (r === null) return out
      if (typeof r === 'number') throw new Error(`errno ${r}`)
      const [names, meta] = r
      for (let i = 0; i < meta.length; i += META) {
        const name = names.subarray(meta[i], meta[i] + meta[i + 1]).toString('latin1')
        expect(out.has(name)).toBe(false)
        out.set(name, Array.from(meta.subarray(i + 2, i + META)))
      }
    }
  }

  test('scan lstats every entry relative to the fd, never following links, over several batches, and restarts', async () => {
    const dir = path.join(base, 'd')
    fs.mkdirSync(dir)
    // Long names: more than one 32 KiB getdents64 buffer.
    for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(dir, `${'f'.repeat(100)}-${i}`), 'x'.repeat(i))
    fs.mkdirSync(path.join(dir, 'sub'))
    fs.symlinkSync('/etc', path.join(dir, 'link'))
    fs.writeFileSync(path.join(dir, Buffer.from([0x66, 0xff, 0x0a]).toString('latin1')), '')
    const fd = fs.openSync(dir, O_DIR)
    try {
      for (const async of [false, true]) {
        const all = await scanAll(fd, true, async)
        expect(all.size).toBe(603)
        const st = fs.lstatSync(path.join(dir, `${'f'.repeat(100)}-599`))
        expect(all.get(`${'f'.repeat(100)}-599`)).toEqual([0, st.mode, 599, st.dev, st.ino, st.uid, expect.any(Number)])
        expect((all.get('link') as number[])[1] & 0o170000).toBe(0o120000)
        expect((all.get('sub') as number[])[1] & 0o170000).toBe(0o040000)
      }
      const typed = await scanAll(fd, false, false)
      expect(typed.size).toBe(603)
      expect(typed.get('link')).toEqual([0, 0o120000, 0, 0, 0, 0, -1])
    } finally {
      fs.closeSync(fd)
    }
  })

  /** What fs.lstatSync says of the numbers scan reports: mode, size, dev, ino, uid. */
  const lstatNumbers = (p: string): number[] => {
    const st = fs.lstatSync(p)
    return [st.mode, st.size, st.dev, st.ino, st.uid]
  }

  test("scan reports each entry's owner, device and inode as fs.lstatSync does: a file, a directory, a link", async () => {
    const dir = path.join(base, 'd')
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'file'), 'bytes')
    fs.writeFileSync(path.join(dir, 'owned'), 'theirs')
    fs.symlinkSync('/etc/passwd', path.join(dir, 'link'))
    if (isRoot) {
      fs.chownSync(path.join(dir, 'owned'), 1234, 1234)
      fs.lchownSync(path.join(dir, 'link'), 1235, 1235) // the link's own owner, not its target's
      fs.chownSync(path.join(dir, 'sub'), 1236, 1236)
    }
    const fd = fs.openSync(dir, O_DIR)
    try {
      for (const async of [false, true]) {
        const all = await scanAll(fd, true, async)
        expect([...all.keys()].sort()).toEqual(['file', 'link', 'owned', 'sub'])
        for (const [name, numbers] of all) {
          expect({ name, numbers: numbers.slice(1, 6) }).toEqual({ name, numbers: lstatNumbers(path.join(dir, name)) })
          expect([0, -1]).toContain(numbers[6]) // no immutable or append-only bit: 0, or unknown here
        }
        if (isRoot) expect([all.get('owned')?.[5], all.get('link')?.[5], all.get('sub')?.[5]]).toEqual([1234, 1235, 1236])
      }
    } finally {
      fs.closeSync(fd)
    }
  })

  test("scan's st_dev is Node's for every entry of /, mount points included (each filesystem its own major and minor)", () => {
    const fd = fs.openSync('/', O_DIR)
    const compared: string[] = []
    try {
      for (let first = true; ; first = false) {
        const r = h.scan(fd, true, false, first)
        if (r === null) break
        if (typeof r === 'number') throw new Error(`errno ${r}`)
        const [names, meta] = r
        for (let i = 0; i < meta.length; i += META) {
          const name = names.subarray(meta[i], meta[i] + meta[i + 1]).toString()
          if (meta[i + 2] !== 0) continue
          expect({ name, numbers: [meta[i + 5], meta[i + 6], meta[i + 7]] }).toEqual({ name, numbers: lstatNumbers(`/${name}`).slice(2) })
          compared.push(name)
        }
      }
    } finally {
      fs.closeSync(fd)
    }
    expect(compared).toEqual(expect.arrayContaining(['proc', 'etc']))
  })

  test('flags() lstats one name relative to the fd, or the fd itself: [uid, mode, flags], or errno', () => {
    const dir = path.join(base, 'd')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'owned'), 'theirs')
    fs.symlinkSync('/etc', path.join(dir, 'link'))
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x66, 0xff])]), '') // not UTF-8
    if (isRoot) fs.chownSync(path.join(dir, 'owned'), 1234, 1234)
    const fd = fs.openSync(dir, O_DIR)
    const fileFd = fs.openSync(path.join(dir, 'owned'), 'r')
    try {
      const own = fs.lstatSync(path.join(dir, 'owned'))
      expect(h.flags(fd, Buffer.from('owned'))).toEqual([isRoot ? 1234 : own.uid, own.mode, expect.any(Number)])
      expect(h.flags(fileFd, null)).toEqual([own.uid, own.mode, expect.any(Number)])
      const self = fs.fstatSync(fd)
      expect(h.flags(fd, null)).toEqual([self.uid, self.mode, expect.any(Number)])
      const link = h.flags(fd, Buffer.from('link')) as number[]
      expect(link[1] & 0o170000).toBe(0o120000) // the link, never what it points to
      expect((h.flags(fd, Buffer.from([0x66, 0xff])) as number[])[1] & 0o170000).toBe(0o100000)
      for (const r of [h.flags(fd, Buffer.from('owned')), h.flags(fd, null)]) expect([0, -1]).toContain((r as number[])[2])
      expect(h.flags(fd, Buffer.from('gone'))).toBe(2) // ENOENT
      expect(h.flags(fileFd, Buffer.from('x'))).toBe(20) // ENOTDIR
      expect(h.flags(999999, null)).toBe(9) // EBADF
    } finally {
      fs.closeSync(fileFd)
      fs.closeSync(fd)
    }
  })

  test('scan of a bad fd returns its errno, never throws', async () => {
    expect(h.scan(999999, true, false, true)).toBe(9) // EBADF
    expect(await h.scan(999999, true, true, true)).toBe(9)
  })

  test('unlinkBatch: relative to the fd even after the directory was moved; a link goes as a link; a directory is refused', async () => {
    const dir = path.join(base, 'd')
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'a'), 'a')
    fs.writeFileSync(path.join(base, 'target'), 'keep')
    fs.symlinkSync(path.join(base, 'target'), path.join(dir, 'link'))
    const fd = fs.openSync(dir, O_DIR)
    try {
      // The path now leads somewhere else: a decoy with the same names.
      fs.renameSync(dir, path.join(base, 'moved'))
      fs.mkdirSync(dir)
      fs.writeFileSync(path.join(dir, 'a'), 'decoy')
      const errs = await h.unlinkBatch(fd, Buffer.from('a\0link\0sub\0gone\0'), true)
      expect(Array.from(errs)).toEqual([0, 0, 21, 2]) // ok, ok, EISDIR, ENOENT
      expect(fs.readFileSync(path.join(dir, 'a'), 'utf8')).toBe('decoy')
      expect(fs.readdirSync(path.join(base, 'moved')).sort()).toEqual(['sub'])
      expect(fs.readFileSync(path.join(base, 'target'), 'utf8')).toBe('keep')
      expect(Array.from(h.unlinkBatch(fd, Buffer.from('sub\0'), false))).toEqual([21])
    } finally {
      fs.closeSync(fd)
    }
  })

  test('unlinkBatch refuses a batch with an empty name, . or .., a slash, or no final NUL, before removing anything', () => {
    const dir = path.join(base, 'd')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'a'), 'a')
    const fd = fs.openSync(dir, O_DIR)
    try {
      expect(() => h.unlinkBatch(fd, Buffer.from('a\0b'), false)).toThrow('names must be NUL-terminated')
      expect(() => h.unlinkBatch(fd, Buffer.alloc(0), false)).toThrow('names must be NUL-terminated')
      expect(() => h.unlinkBatch(fd, Buffer.from('a\0\0'), false)).toThrow('an empty name')
      expect(() => h.unlinkBatch(fd, Buffer.from('\0a\0'), false)).toThrow('an empty name')
      expect(() => h.unlinkBatch(fd, Buffer.from('a\0..\0'), false)).toThrow('or . or ..')
      expect(() => h.unlinkBatch(fd, Buffer.from('.\0'), false)).toThrow('or . or ..')
      // A name is one entry: never a path through a subdirectory or a link.
      expect(() => h.unlinkBatch(fd, Buffer.from('a\0sub/x\0'), false)).toThrow('a name holds a slash')
      expect(fs.existsSync(path.join(dir, 'a'))).toBe(true)
    } finally {
      fs.closeSync(fd)
    }
  })
})
