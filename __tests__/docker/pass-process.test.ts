/**
 * runPassProcess, with a real child process: the job reaches its stdin, its answer is read whole
 * (a multi-byte character split across reads stays whole), its stderr comes line by line, and a
 * cancel reaches it as one SIGINT, in a process group of its own (a terminal's Ctrl-C reaches only
 * the outer run, which forwards it once).
 */
import { runPassProcess } from '../../src/docker/exec.js'

const node = process.execPath

// Reads its job, says "ready" on stderr, and on SIGINT answers with the job and what it saw.
const CHILD = `
let job = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (d) => (job += d))
process.stdin.on('end', () => {
  let sigints = 0
  process.on('SIGINT', () => {
    sigints++
    setTimeout(() => {
      process.stdout.write(JSON.stringify({ job, sigints, pgid: Number(require('fs').readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[2]), pid: process.pid }))
      process.exit(0)
    }, 200)
  })
  process.stderr.write('ready\\nsecond line')
  setInterval(() => {}, 1000)
})
`

describe('runPassProcess', () => {
  test('job on stdin, stderr by line, a cancel as one SIGINT to a child in its own process group', async () => {
    const cancel = new AbortController()
    const lines: string[] = []
    const done = runPassProcess({ command: node, args: ['-e', CHILD] }, {
      input: '{"job":"é"}',
      signal: cancel.signal,
      onStderrLine: (l) => {
        lines.push(l)
        if (l === 'ready') cancel.abort()
      }
    })
    const r = await done
    expect(r.exitCode).toBe(0)
    const answer = JSON.parse(r.stdout) as { job: string; sigints: number; pgid: number; pid: number }
    expect(answer.job).toBe('{"job":"é"}')
    expect(answer.sigints).toBe(1)
    // Its own group: the child leads it, and it is not ours.
    expect(answer.pgid).toBe(answer.pid)
    expect(lines).toEqual(['ready', 'second line'])
  })

  test('an answer with multi-byte characters across many reads is decoded whole', async () => {
    const script = `process.stdout.write(Buffer.from(JSON.stringify({ s: 'é€😀'.repeat(200000) })))`
    const r = await runPassProcess({ command: node, args: ['-e', script] }, { input: '' })
    expect(r.exitCode).toBe(0)
    expect((JSON.parse(r.stdout) as { s: string }).s).toBe('é€😀'.repeat(200000))
  })

  test('a command that cannot start says why', async () => {
    const r = await runPassProcess({ command: '/nonexistent/safe-purge-pass', args: [] }, { input: '{}' })
    expect(r.spawnError).toBe('ENOENT')
    expect(r.exitCode).toBeNull()
  })
})
