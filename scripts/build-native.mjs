// Compiles the native helper (addon/fsat.c) into dist/native/fsat-linux-x64.node, reproducibly
// (no debug info, stripped, source paths mapped away), so that CI can check the committed binary
// equals a fresh build. Without a C compiler (or off linux-x64) it keeps the committed binary and
// says so: the demo and the tests still work, and the engine also runs without the helper.
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(repo, 'dist', 'native', 'fsat-linux-x64.node')
const cc = process.env.CC ?? 'gcc'

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`native helper: not built on ${process.platform}-${process.arch}; keeping the committed ${path.relative(repo, out)}`)
  process.exit(0)
}
if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.log(`native helper: no C compiler (${cc}); keeping the committed ${path.relative(repo, out)}`)
  process.exit(0)
}
fs.mkdirSync(path.dirname(out), { recursive: true })
const args = [
  '-std=c11', '-O2', '-fPIC', '-shared', '-s', '-g0',
  '-Wall', '-Wextra', '-Werror',
  `-ffile-prefix-map=${repo}=.`,
  '-Wl,--build-id=none', '-Wl,-z,noexecstack',
  '-I', path.join(repo, 'node_modules', 'node-api-headers', 'include'),
  '-o', out, path.join(repo, 'addon', 'fsat.c')
]
const r = spawnSync(cc, args, { stdio: 'inherit' })
if (r.status !== 0) {
  console.error(`native helper: ${cc} failed (status ${r.status})`)
  process.exit(1)
}
console.log(`native helper: built ${path.relative(repo, out)} (${fs.statSync(out).size} bytes)`)
