/**
 * Truncating a held-open file in place (fs/truncate.ts) on real files: only a regular file that is
 * still the node the walk saw, with no other name, is truncated, through the opened directory.
 * Every refusal leaves every byte where it was. Both anchorings: /proc/self/fd ('proc') and the
 * path-based fallback ('recheck').
 */
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync, spawnSync } from 'node:child_process'
import { Anchor, leaveCwd, setAnchorMode } from '../../src/fs/anchor.js'
import { truncateHeldAt } from '../../src/fs/truncate.js'
import { exists, fifoWithPartner, removeDir, snapshot, stop, tempDir } from '../helpers/tree.js'

const rootOnly = process.getuid?.() === 0 ? test : test.skip

let base: string
let dir: string
beforeEach(() => {
  base = tempDir('sp-truncate-')
  dir = path.join(base, 'logs')
  fs.mkdirSync(dir)
})
afterEach(() => removeDir(base))

const write = (p: string, content: string): fs.Stats => {
  fs.writeFileSync(p, content)
  return fs.lstatSync(p)
}

describe.each(['proc', 'recheck'] as const)('anchored by %s', (mode) => {
  let a: Anchor
  beforeEach(() => {
    setAnchorMode(mode)
    a = Anchor.open(dir)
  })
  afterEach(() => {
    a.close()
    leaveCwd()
    setAnchorMode('proc')
  })

  test('a regular file with one name is truncated to zero where it is: same inode, its size before returned', () => {
    const st = write(path.join(dir, 'app.log'), 'x'.repeat(100000))
    expect(truncateHeldAt(a, 'app.log', st)).toEqual({ truncated: true, bytes: 100000 })
    expect(fs.lstatSync(path.join(dir, 'app.log'))).toMatchObject({ ino: st.ino, size: 0 })
  })

  test('a file with another name (a hard link, here from a protected place) is refused: both names keep their content', () => {
    fs.mkdirSync(path.join(base, 'models'))
    const st = write(path.join(base, 'models/weights.bin'), 'precious weights')
    fs.linkSync(path.join(base, 'models/weights.bin'), path.join(dir, 'weights.bin'))
    expect(truncateHeldAt(a, 'weights.bin', st)).toEqual({ truncated: false, reason: 'linked', nlink: 2 })
    for (const p of ['models/weights.bin', 'logs/weights.bin']) expect(fs.readFileSync(path.join(base, p), 'utf8')).toBe('precious weights')
  })

  test('a link is never opened: refused whether the walk saw the link or the file it points to', () => {
    const outside = write(path.join(base, 'outside.log'), 'outside the directory')
    fs.symlinkSync(path.join(base, 'outside.log'), path.join(dir, 'to-outside.log'))
    const before = snapshot(base)
    expect(truncateHeldAt(a, 'to-outside.log', fs.lstatSync(path.join(dir, 'to-outside.log')))).toEqual({ truncated: false, reason: 'changed' })
    expect(truncateHeldAt(a, 'to-outside.log', outside)).toEqual({ truncated: false, reason: 'changed' })
    expect(snapshot(base)).toEqual(before)
  })

  test('a name swapped for another file since the walk saw it (device+inode differ): neither file is touched', () => {
    const seen = write(path.join(dir, 'app.log'), 'the file the walk saw')
    fs.renameSync(path.join(dir, 'app.log'), path.join(base, 'moved.log'))
    write(path.join(dir, 'app.log'), 'another file, same name')
    const before = snapshot(base)
    expect(truncateHeldAt(a, 'app.log', seen)).toEqual({ truncated: false, reason: 'changed' })
    expect(snapshot(base)).toEqual(before)
  })

  test('a FIFO at the name (a partner waits on its other end) is never opened: no hang, nothing touched', async () => {
    const marker = path.join(base, 'opened')
    const partner = await fifoWithPartner(path.join(dir, 'app.log'), 'reader', marker)
    try {
      expect(truncateHeldAt(a, 'app.log', fs.lstatSync(path.join(dir, 'app.log')))).toEqual({ truncated: false, reason: 'changed' })
      expect(partner.exitCode).toBeNull()
      expect(exists(marker)).toBe(false)
    } finally {
      await stop(partner)
    }
  })

  test('a name that is gone throws ENOENT (the executor counts it as already gone)', () => {
    const st = write(path.join(dir, 'app.log'), 'x')
    fs.rmSync(path.join(dir, 'app.log'))
    expect(() => truncateHeldAt(a, 'app.log', st)).toThrow(expect.objectContaining({ code: 'ENOENT' }))
  })

  test('the opened directory moved and a decoy with the same name put at its path: the decoy survives byte for byte', () => {
    const st = write(path.join(dir, 'app.log'), 'the real log')
    fs.renameSync(dir, path.join(base, 'moved'))
    fs.mkdirSync(dir)
    write(path.join(dir, 'app.log'), 'decoy with the same name')
    const decoy = snapshot(dir)
    if (mode === 'proc') {
      // /proc/self/fd/N lands in the directory that was opened, wherever it is now.
      expect(truncateHeldAt(a, 'app.log', st)).toEqual({ truncated: true, bytes: 12 })
      expect(fs.lstatSync(path.join(base, 'moved/app.log'))).toMatchObject({ ino: st.ino, size: 0 })
    } else {
      // The fallback enters the directory by path and proves it is the opened one: it is not.
      expect(() => truncateHeldAt(a, 'app.log', st)).toThrow(expect.objectContaining({ code: 'ECHANGED' }))
      expect(fs.readFileSync(path.join(base, 'moved/app.log'), 'utf8')).toBe('the real log')
    }
    expect(snapshot(dir)).toEqual(decoy)
  })
})

// A file bind-mounted over a name in a target is that file under another name, which st_nlink does
// not count: truncating it would empty the protected original.
describe.each(['proc', 'recheck'] as const)('anchored by %s, as root', (mode) => {
  rootOnly('a protected file bind-mounted over the name is refused as a mount point: the original keeps every byte', () => {
    setAnchorMode(mode)
    fs.mkdirSync(path.join(base, 'models'))
    const original = path.join(base, 'models/weights.bin')
    fs.writeFileSync(original, 'precious weights')
    const over = path.join(dir, 'weights.bin')
    fs.writeFileSync(over, '')
    execFileSync('mount', ['--bind', original, over])
    const a = Anchor.open(dir)
    try {
      const seen = fs.lstatSync(over)
      expect(seen.ino).toBe(fs.lstatSync(original).ino)
      expect(truncateHeldAt(a, 'weights.bin', seen)).toEqual({ truncated: false, reason: 'mount-point' })
      expect(fs.readFileSync(original, 'utf8')).toBe('precious weights')
    } finally {
      a.close()
      leaveCwd()
      setAnchorMode('proc')
      spawnSync('umount', [over])
    }
  })
})

rootOnly('an append-only file (chattr +a) cannot be truncated: EPERM is thrown, the content stays', () => {
  const p = path.join(dir, 'audit.log')
  const st = write(p, 'append-only')
  const set = spawnSync('chattr', ['+a', p], { encoding: 'utf8' })
  if (set.status !== 0) throw new Error(`chattr +a failed on the temp dir's filesystem: ${set.stderr}`)
  const a = Anchor.open(dir)
  try {
    expect(() => truncateHeldAt(a, 'audit.log', st)).toThrow(expect.objectContaining({ code: 'EPERM' }))
    expect(fs.readFileSync(p, 'utf8')).toBe('append-only')
  } finally {
    a.close()
    spawnSync('chattr', ['-a', p])
  }
})
