/** Fingerprints of protected paths on real trees: what they record, and every change they catch. */
import fs from 'node:fs'
import path from 'node:path'
import { Anchor, leaveCwd } from '../../src/fs/anchor.js'
import { createPolicy } from '../../src/engine/policy.js'
import { diffFingerprints, takeFingerprint, type Fingerprint } from '../../src/engine/fingerprint.js'
import { makeEnv, removeDir } from '../helpers/tree.js'

let base: string
let root: string
beforeEach(() => ({ base, root } = makeEnv({ 'logs/deep/config/app.yaml': 'a: 1', 'config/link': { link: '/etc' } })))
afterEach(() => removeDir(base))

function take(): Fingerprint {
  const dir = Anchor.open(root)
  try {
    return takeFingerprint(dir, createPolicy([]))
  } finally {
    dir.close()
    leaveCwd()
  }
}

test('records protected entries at any depth, inside targets too, and nothing unprotected', () => {
  const fp = take()
  const paths = [...fp.entries.keys()]
  expect(paths).toEqual(expect.arrayContaining(['models', 'models/lstm/epoch_12.bin', '.env', 'logs/deep/config', 'logs/deep/config/app.yaml', 'config/link']))
  expect(paths.filter((p) => p.startsWith('logs/') && !p.startsWith('logs/deep/config'))).toEqual([])
  const st = fs.lstatSync(path.join(root, 'models/lstm/epoch_12.bin'))
  expect(fp.entries.get('models/lstm/epoch_12.bin')).toEqual({ kind: 'file', ino: st.ino, size: st.size, mtimeMs: st.mtimeMs })
  // A link is recorded with where it points, and never followed.
  expect(fp.entries.get('config/link')).toMatchObject({ kind: 'symlink', link: '/etc' })
  expect(paths.some((p) => p.startsWith('config/link/'))).toBe(false)
  expect(fp.roots.map((r) => r.path)).toEqual(expect.arrayContaining(['models', 'config', '.env', 'logs/deep/config']))
})

test.each<[string, () => void, string]>([
  ['content rewritten in place', () => fs.writeFileSync(path.join(root, '.env'), 'API_KEY=changed-and-longer'), 'size'],
  ['mtime touched', () => fs.utimesSync(path.join(root, '.env'), new Date(0), new Date(0)), 'mtime'],
  ['replaced by a copy (new inode)', () => {
    fs.copyFileSync(path.join(root, '.env'), path.join(root, '.env.tmp'))
    fs.renameSync(path.join(root, '.env.tmp'), path.join(root, '.env'))
  }, 'inode'],
  ['a link pointed elsewhere', () => {
    fs.unlinkSync(path.join(root, 'config/link'))
    fs.symlinkSync('/tmp', path.join(root, 'config/link'))
  }, 'link target'],
  ['a file replaced by a directory', () => {
    fs.unlinkSync(path.join(root, 'logs/deep/config/app.yaml'))
    fs.mkdirSync(path.join(root, 'logs/deep/config/app.yaml'))
  }, 'type file -> dir']
])('%s is a change', (_what, change, what) => {
  const before = take()
  change()
  const { missing, changed } = diffFingerprints(before, take())
  expect(missing).toEqual([])
  expect(changed).toHaveLength(1)
  expect(changed[0].what).toContain(what)
})

test('a removed protected entry is missing; new files and changes outside protected paths are not losses', () => {
  const before = take()
  fs.rmSync(path.join(root, 'models/lstm'), { recursive: true })
  fs.writeFileSync(path.join(root, 'models/new.bin'), 'new')
  fs.writeFileSync(path.join(root, 'logs/trading.log'), 'rotated')
  const { missing, changed } = diffFingerprints(before, take())
  expect(missing.sort()).toEqual(['models/lstm', 'models/lstm/epoch_12.bin'])
  expect(changed).toEqual([])
})
