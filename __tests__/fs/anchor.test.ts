/**
 * Anchoring needs a real procfs: a /proc/self/fd that is a plain directory on another filesystem
 * (a container with a fake /proc, a tmpfs mounted over it) would let a path redirect every unlink.
 * Root-only: it mounts a tmpfs over /proc in a private mount namespace (unshare -m).
 */
import { spawnSync } from 'node:child_process'
import { CLI } from '../helpers/cli.js'
import { systemNode } from '../helpers/action.js'
import { makeEnv, removeDir, snapshot } from '../helpers/tree.js'

const rootOnly = process.getuid?.() === 0 ? test : test.skip

describe('a /proc/self/fd that is not procfs', () => {
  let base: string
  let root: string
  beforeEach(() => ({ base, root } = makeEnv()))
  afterEach(() => removeDir(base))

  rootOnly('is refused before anything is deleted', () => {
    const before = snapshot(root)
    const script = `mount -t tmpfs none /proc && mkdir -p /proc/self/fd && exec "$0" "$@"`
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, systemNode(), CLI, '--root', root, '--force', '--docker', 'off'], { encoding: 'utf8', timeout: 60000 })
    expect(r.stderr).toMatch(/\/proc\/self\/fd/)
    expect(r.status).toBe(2)
    expect(snapshot(root)).toEqual(before)
  })
})
