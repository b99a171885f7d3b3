/**
 * The README's first command, `npm run demo` (after its build): the built action purges a sample
 * environment and says it verified it. It leaves its files for the reader; the test removes them.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { REPO, systemNode } from '../helpers/action.js'

test('the demo purges its sample environment and verifies it', () => {
  const r = spawnSync(systemNode(), [path.join(REPO, 'demo', 'run-demo.mjs')], { cwd: REPO, encoding: 'utf8', timeout: 60000 })
  const left = /Demo files stay in (\S+) \(delete it when done\)/.exec(r.stdout)?.[1]
  try {
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    expect(r.stdout).toMatch(/^verified: \d+ protected entries unchanged, every target clean$/m)
    expect(r.stdout).toMatch(/^ {2}verified = true$/m)
    expect(left).toBeDefined()
    expect(fs.readFileSync(path.join(left as string, 'mt5-crs', 'models', 'baseline_v1.json'), 'utf8')).toContain('weights')
  } finally {
    if (left && path.basename(left).startsWith('safe-purge-demo-')) fs.rmSync(left, { recursive: true, force: true })
  }
})
