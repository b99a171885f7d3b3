// Compiles the native helper (addon/fsat.c) into dist/native/fsat-linux-x64.node, reproducibly
// (no debug info, stripped, source paths mapped away), so that CI can check the committed binary
// equals a fresh build. Without a C compiler (or off linux-x64) it keeps the committed binary and
// says so: the demo and the tests still work, and the engine also runs without the helper.
//
// `--sanitize <outfile>` builds a test copy instead, with AddressSanitizer and UndefinedBehavior-
// Sanitizer (debug info, frame pointers, any UB fatal), into <outfile>; dist/ is not touched.
// Node is not built with ASan, so that copy loads only with gcc's libasan preloaded:
// scripts/native-asan.sh does that and runs the native tests against it. It fails without gcc.
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cc = process.env.CC ?? 'gcc'

const argv = process.argv.slice(2)
const sanitize = argv[0] === '--sanitize'
if (argv.length > 0 && !(sanitize && argv.length === 2 && argv[1] !== '')) {
  console.error('usage: node scripts/build-native.mjs [--sanitize <outfile>]')
  process.exit(2)
}
const out = sanitize ? path.resolve(argv[1]) : path.join(repo, 'dist', 'native', 'fsat-linux-x64.node')

if (process.platform !== 'linux' || process.arch !== 'x64') {
  if (sanitize) fail(`not built on ${process.platform}-${process.arch}`)
  console.log(`native helper: not built on ${process.platform}-${process.arch}; keeping the committed ${path.relative(repo, out)}`)
  process.exit(0)
}
if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) {
  if (sanitize) fail(`no C compiler (${cc})`)
  console.log(`native helper: no C compiler (${cc}); keeping the committed ${path.relative(repo, out)}`)
  process.exit(0)
}
fs.mkdirSync(path.dirname(out), { recursive: true })
const include = ['-I', path.join(repo, 'node_modules', 'node-api-headers', 'include')]
const source = path.join(repo, 'addon', 'fsat.c')
const args = sanitize
  ? [
      '-std=c11', '-O1', '-fPIC', '-shared', '-g', '-fno-omit-frame-pointer',
      '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined',
      '-Wall', '-Wextra', '-Werror',
      ...include, '-o', out, source
    ]
  : [
      '-std=c11', '-O2', '-fPIC', '-shared', '-s', '-g0',
      '-Wall', '-Wextra', '-Werror',
      `-ffile-prefix-map=${repo}=.`,
      '-Wl,--build-id=none', '-Wl,-z,noexecstack',
      ...include, '-o', out, source
    ]
const r = spawnSync(cc, args, { stdio: 'inherit' })
if (r.status !== 0) {
  console.error(`native helper: ${cc} failed (status ${r.status})`)
  process.exit(1)
}
console.log(`native helper: built ${path.relative(repo, out)} (${fs.statSync(out).size} bytes${sanitize ? ', ASan+UBSan' : ''})`)

function fail(why) {
  console.error(`native helper: --sanitize: ${why}`)
  process.exit(1)
}
