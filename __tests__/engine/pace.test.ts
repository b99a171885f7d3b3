/**
 * The cap on one pass over a directory: a directory being purged never reaches it, on the
 * filesystems at hand (this disk and tmpfs), however many entries it holds.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { passCap, PASS_CAP_UNRELIABLE } from '../../src/engine/pace.js'
import { purge } from '../helpers/engine.js'
import { MT5_TREE, makeTree, removeDir, snapshot, survivors } from '../helpers/tree.js'

test.each<[string, number, number | null, number]>([
  ['ext4: 12 bytes an entry at least', 12000, 0xef53, 2024],
  ['tmpfs: 20 bytes an entry', 20000, 0x01021994, 2024],
  ['btrfs: twice the name', 2000, 0x9123683e, 2024],
  ['ZFS and unknown filesystems: one byte an entry', 1000, 0x2fc12fc1, 2024],
  ['statfs failed', 1000, null, 2024],
  ['overlayfs: the size says nothing', 4096, 0x794c7630, PASS_CAP_UNRELIABLE],
  ['FUSE: the size says nothing', 0, 0x65735546, PASS_CAP_UNRELIABLE]
])('%s', (_what, size, type, cap) => {
  expect(passCap(size, type)).toBe(cap)
})

const tmpfs = fs.existsSync('/dev/shm') ? '/dev/shm' : null
describe.each([['this disk', os.tmpdir()], ['tmpfs', tmpfs]])('a flat directory of 5,000 files on %s', (_label, dir) => {
  const maybe = dir ? test : test.skip
  maybe('is purged in one pass, without a "kept filling" error', async () => {
    const base = fs.mkdtempSync(path.join(dir as string, 'sp-walk-'))
    try {
      const root = path.join(base, 'env')
      fs.mkdirSync(path.join(root, 'logs/flat'), { recursive: true })
      makeTree(root, MT5_TREE)
      for (let i = 0; i < 5000; i++) fs.writeFileSync(path.join(root, 'logs/flat', `f${i}`), '')
      const before = snapshot(root)
      const report = await purge(root)
      expect(report.errors).toEqual([])
      expect(report.ok).toBe(true)
      expect(report.totals.files).toBe(5006)
      expect(fs.readdirSync(path.join(root, 'logs'))).toEqual([]) // emptied, kept
      const targeted = /^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/
      expect(survivors(before, snapshot(root), (rel) => !targeted.test(rel))).toEqual([])
    } finally {
      removeDir(base)
    }
  })
})
