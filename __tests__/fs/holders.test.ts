/**
 * Who holds a file open (fs/holders.ts), read from /proc while real processes hold real files:
 * by file descriptor, by memory mapping, after the file was unlinked, and what a process that
 * may not read other users' /proc entries reports. No test here changes a file it did not create.
 */
import fs from 'node:fs'
import path from 'node:path'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import ts from 'typescript'
import { HeldFiles, mapsReliableAt } from '../../src/fs/holders.js'
import { removeDir, stop, tempDir } from '../helpers/tree.js'
import { systemNode } from '../helpers/action.js'

const rootOnly = process.getuid?.() === 0 ? test : test.skip

let base: string
const children: ChildProcess[] = []
beforeEach(() => (base = tempDir('sp-holders-')))
afterEach(async () => {
  for (const c of children.splice(0)) await stop(c)
  removeDir(base)
})

/** Starts `command` and resolves once it printed its first line (it holds what it should by then). */
async function started(command: string, args: string[]): Promise<ChildProcess & { pid: number }> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve())
    child.once('exit', (code, signal) => reject(new Error(`${command} exited (${code ?? signal}) before it was ready`)))
  })
  return child as ChildProcess & { pid: number }
}

/** A node process holding `file` open for reading, doing nothing else. */
const holding = (file: string) => started(process.execPath, ['-e', `require('fs').openSync(process.argv[1], 'r'); console.log('ready'); setInterval(() => {}, 1000)`, file])
const commOf = (pid: number): string => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()

test('a process holding a file open is found by device+inode, with its pid and command; a file nobody holds is not', async () => {
  const held = path.join(base, 'held.log')
  const free = path.join(base, 'free.log')
  fs.writeFileSync(held, 'held content')
  fs.writeFileSync(free, 'free content')
  const child = await holding(held)
  const found = HeldFiles.scan([fs.statSync(base).dev])
  expect(found.available).toBe(true)
  expect(found.get(fs.statSync(held))).toEqual({ holders: [{ pid: child.pid, command: commOf(child.pid) }], mapped: false })
  expect(commOf(child.pid)).not.toBe('')
  expect(found.get(fs.statSync(free))).toBeUndefined()
  // Looking changes nothing.
  expect(fs.readFileSync(held, 'utf8')).toBe('held content')
  expect(fs.readFileSync(free, 'utf8')).toBe('free content')
})

test('where mappings cannot be matched by device and inode (overlayfs, btrfs), every held file counts as mapped: never truncated', async () => {
  const held = path.join(base, 'held.log')
  fs.writeFileSync(held, 'held content')
  await holding(held)
  expect(HeldFiles.scan([fs.statSync(base).dev], false).get(fs.statSync(held))?.mapped).toBe(true)
  expect(mapsReliableAt('/proc')).toBe(true)
})

test('a file unlinked while a process holds it is still found (the case that frees no space), by the device+inode it had', async () => {
  const held = path.join(base, 'deleted.log')
  fs.writeFileSync(held, 'x'.repeat(4096))
  const st = fs.statSync(held)
  const child = await holding(held)
  fs.rmSync(held)
  expect(HeldFiles.scan([st.dev]).get(st)?.holders).toEqual([{ pid: child.pid, command: commOf(child.pid) }])
})

test('two holders of one file are both named; only the devices asked about are looked at', async () => {
  const held = path.join(base, 'shared.log')
  fs.writeFileSync(held, 'shared')
  const st = fs.statSync(held)
  const a = await holding(held)
  const b = await holding(held)
  const holders = HeldFiles.scan([st.dev]).get(st)?.holders ?? []
  expect(holders.map((h) => h.pid).sort()).toEqual([a.pid, b.pid].sort())
  expect(HeldFiles.scan([st.dev + 1]).get(st)).toBeUndefined()
  expect(HeldFiles.scan([]).size).toBe(0)
})

test('this process is never a holder: the purge holds only directories, and a file it has open is not "held by a running writer"', () => {
  const mine = path.join(base, 'mine.log')
  fs.writeFileSync(mine, 'mine')
  const fd = fs.openSync(mine, 'r')
  try {
    expect(HeldFiles.scan([fs.statSync(base).dev]).get(fs.statSync(mine))).toBeUndefined()
  } finally {
    fs.closeSync(fd)
  }
})

// Truncating a file a process maps would kill it with SIGBUS at its next touch of the mapping:
// the scan must say so. Python's mmap also keeps a duplicate descriptor, so the file is held both ways.
test('a process that maps a file is reported as mapping it', async () => {
  const mapped = path.join(base, 'mapped.db')
  fs.writeFileSync(mapped, Buffer.alloc(3 * 4096, 7))
  const script = 'import mmap,sys\nf=open(sys.argv[1],"r+b")\nm=mmap.mmap(f.fileno(),0)\nf.close()\nprint("ready",flush=True)\nsys.stdin.read()'
  const child = await started('python3', ['-c', script, mapped])
  const st = fs.statSync(mapped)
  expect(HeldFiles.scan([st.dev]).get(st)).toEqual({ holders: [{ pid: child.pid, command: commOf(child.pid) }], mapped: true })
  expect(fs.readFileSync(mapped)).toEqual(Buffer.alloc(3 * 4096, 7))
})

test('verification\'s set: the nodes given, held by no one in particular', () => {
  const set = HeldFiles.of([{ dev: 1, ino: 2 }])
  expect(set.get({ dev: 1, ino: 2 })).toEqual({ holders: [], mapped: false })
  expect(set.get({ dev: 1, ino: 3 })).toBeUndefined()
  expect(HeldFiles.none().get({ dev: 1, ino: 2 })).toBeUndefined()
})

// Not root, a process may not read other users' /proc/<pid>/fd: the scan counts those processes
// (the run warns that files they hold are unlinked, not truncated) and still sees its own user's.
rootOnly('as another user: processes it may not inspect are counted and sampled; its own user\'s holders are found', async () => {
  const nobody = 65534
  fs.chmodSync(base, 0o755)
  const held = path.join(base, 'held.log')
  fs.writeFileSync(held, 'held by root')
  const rootHolder = await holding(held)
  // The module as it is, compiled on the spot to JavaScript that a plain node run as nobody imports.
  const source = fs.readFileSync(new URL('../../src/fs/holders.ts', import.meta.url), 'utf8')
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
  fs.writeFileSync(path.join(base, 'holders.mjs'), js)
  const own = path.join(base, 'own.log')
  fs.writeFileSync(own, 'held by nobody')
  fs.chownSync(own, nobody, nobody)
  const probe = `
    import fs from 'node:fs'
    import { spawn } from 'node:child_process'
    import { HeldFiles } from './holders.mjs'
    const [held, own] = process.argv.slice(2)
    const sleeper = spawn('sleep', ['600'], { stdio: [fs.openSync(own, 'r'), 'ignore', 'ignore'] })
    const found = HeldFiles.scan([fs.statSync(held).dev])
    sleeper.kill()
    console.log(JSON.stringify({ sleeper: sleeper.pid, root: found.get(fs.statSync(held)) ?? null, own: found.get(fs.statSync(own)) ?? null, uninspected: found.uninspected }))`
  fs.writeFileSync(path.join(base, 'probe.mjs'), probe)
  const r = spawnSync(systemNode(), [path.join(base, 'probe.mjs'), held, own], { uid: nobody, gid: nobody, cwd: base, encoding: 'utf8', timeout: 60000 })
  expect(r.stderr).toBe('')
  const out = JSON.parse(r.stdout) as { sleeper: number; root: unknown; own: { holders: { pid: number }[] } | null; uninspected: { count: number; sample: { pid: number; command: string }[] } }
  expect(out.root).toBeNull()
  expect(out.own?.holders.map((h) => h.pid)).toEqual([out.sleeper])
  expect(out.uninspected.count).toBeGreaterThanOrEqual(1)
  expect(out.uninspected.sample.length).toBe(Math.min(out.uninspected.count, 10))
  for (const s of out.uninspected.sample) expect(s).toEqual({ pid: expect.any(Number), command: expect.any(String) })
  expect(rootHolder.exitCode).toBeNull()
  expect(fs.readFileSync(held, 'utf8')).toBe('held by root')
})
