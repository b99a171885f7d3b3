/**
 * The stack that is actually running, against the real daemon (Compose v1): stacks started the
 * ways the seed and real teams start them are found by their containers' labels and stopped with
 * exactly the files and project that started them; containers that write into a target are found
 * whoever started them. Skipped without a daemon unless SAFE_PURGE_REQUIRE_DOCKER=1.
 */
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, survivors, tempDir } from '../helpers/tree.js'
import { purge } from '../helpers/engine.js'
import { COMPOSE_V1, Janitor, TEST_IMAGE, allContainers, dockerUnavailable, must, notTargeted, runningContainers } from '../helpers/docker.js'

const unavailable = dockerUnavailable()
const REQUIRED = process.env.SAFE_PURGE_REQUIRE_DOCKER === '1'
const suite = unavailable && !REQUIRED ? describe.skip : describe

/** A service that keeps appending to a bind-mounted directory of the root. */
function service(name: string, mount: string, version = "'3.7'"): string {
  return [
    `version: ${version}`,
    'services:',
    `  ${name}:`,
    `    image: ${TEST_IMAGE}`,
    '    init: true',
    `    command: ["sh", "-c", "while true; do echo tick >> /w/${name}.log; sleep 0.2; done"]`,
    '    volumes:',
    `      - ${mount}:/w`,
    ''
  ].join('\n')
}

suite(`the running system${unavailable ? ` (${unavailable})` : ''}`, () => {
  const janitor = new Janitor()
  const dirs: string[] = []
  const id = `${crypto.randomBytes(3).toString('hex')}${process.pid}`
  let seq = 0
  beforeAll(() => {
    if (unavailable) throw new Error(`SAFE_PURGE_REQUIRE_DOCKER=1 but ${unavailable}`)
  })
  const unmount: string[] = []
  afterAll(() => {
    janitor.cleanup()
    for (const m of unmount) spawnSync('umount', [m])
    dirs.forEach(removeDir)
  })

  /** An MT5-like root in a temp dir, named so Compose's default project name is unique. */
  function envRoot(files: Record<string, string>): string {
    const base = tempDir('sp-running-')
    dirs.push(base)
    const root = path.join(base, `sprun${id}n${++seq}`)
    fs.mkdirSync(root)
    makeTree(root, { ...MT5_TREE, ...files })
    janitor.project(path.basename(root))
    return root
  }

  const up = (cwd: string, args: string[]): void => {
    must(COMPOSE_V1, [...args, 'up', '-d'], { cwd, timeoutMs: 60000 })
  }

  test("the seed's layout: docker-compose.prod.yml started alone next to a docker-compose.yml of other services (other version:)", async () => {
    const root = envRoot({
      'docker-compose.yml': service('web', './data/temp', "'2.4'"),
      'docker-compose.prod.yml': service('redis', './data/redis')
    })
    const project = janitor.project(`prod${id}n${seq}`)
    up(root, ['-f', 'docker-compose.prod.yml', '-p', project])
    expect(runningContainers(project)).toHaveLength(1)
    const before = snapshot(root)

    const report = await purge(root, { force: true, docker: 'auto' })

    expect(report.ok).toBe(true)
    expect(report.docker.stacks).toEqual([
      expect.objectContaining({ project, files: ['docker-compose.prod.yml'], foundBy: 'running containers', stoppedBy: 'compose down' })
    ])
    expect(allContainers(project)).toEqual([])
    expect(exists(path.join(root, 'data/redis/dump.rdb'))).toBe(false)
    expect(survivors(before, snapshot(root), notTargeted)).toEqual([])
  })

  test('started with -p <custom name> from the root: found by its working_dir, stopped under that name', async () => {
    const root = envRoot({ 'docker-compose.yml': service('redis', './data/redis') })
    const project = janitor.project(`trading${id}n${seq}`)
    up(root, ['-p', project])
    const report = await purge(root, { force: true, docker: 'auto' })
    expect(report.ok).toBe(true)
    expect(report.docker.stacks.map((s) => [s.project, s.foundBy])).toEqual([[project, 'running containers']])
    expect(allContainers(project)).toEqual([])
    expect(exists(path.join(root, 'data/redis/dump.rdb'))).toBe(false)
  })

  test('started from another directory with -f <root>/docker-compose.yml: found and stopped', async () => {
    const root = envRoot({ 'docker-compose.yml': service('redis', './data/redis') })
    const project = janitor.project(`elsewhere${id}n${seq}`)
    up(tempDir('sp-cwd-'), ['-f', path.join(root, 'docker-compose.yml'), '-p', project])
    const report = await purge(root, { force: true, docker: 'auto' })
    expect(report.ok).toBe(true)
    expect(report.docker.stacks.map((s) => s.project)).toEqual([project])
    expect(allContainers(project)).toEqual([])
  })

  test('compose files deleted after up: its containers are stopped and removed by label, and the report says so', async () => {
    const root = envRoot({ 'docker-compose.yml': service('redis', './data/redis') })
    const project = janitor.project(`gone${id}n${seq}`)
    up(root, ['-p', project])
    fs.rmSync(path.join(root, 'docker-compose.yml'))
    const report = await purge(root, { force: true, docker: 'auto' })
    expect(report.ok).toBe(true)
    expect(report.docker.stacks).toEqual([
      expect.objectContaining({ project, stoppedBy: 'docker stop and rm', filesUnusable: expect.stringContaining('is gone'), foundBy: 'running containers' })
    ])
    expect(allContainers(project)).toEqual([])
  })

  test('two projects run from the root: both are stopped and listed', async () => {
    const root = envRoot({ 'docker-compose.yml': service('redis', './data/redis'), 'ops.yml': service('ops', './logs') })
    const a = janitor.project(`twoa${id}n${seq}`)
    const b = janitor.project(`twob${id}n${seq}`)
    up(root, ['-p', a])
    up(root, ['-f', 'ops.yml', '-p', b])
    const report = await purge(root, { force: true, docker: 'auto' })
    expect(report.ok).toBe(true)
    expect(report.docker.stacks.map((s) => s.project).sort()).toEqual([a, b].sort())
    expect(allContainers(a)).toEqual([])
    expect(allContainers(b)).toEqual([])
  })

  test('a compose project of another directory whose bind mount reaches into a target: its whole project is stopped', async () => {
    const root = envRoot({})
    const other = tempDir('sp-other-')
    dirs.push(other)
    fs.writeFileSync(path.join(other, 'docker-compose.yml'), service('cache', path.join(root, 'data/redis')))
    const project = janitor.project(`mounts${id}n${seq}`)
    up(other, ['-p', project])
    const report = await purge(root, { force: true, docker: 'auto' })
    expect(report.ok).toBe(true)
    expect(report.docker.stacks).toEqual([expect.objectContaining({ project, foundBy: 'bind mounts into targets' })])
    expect(report.docker.stacks[0].workingDir).toBe(other)
    expect(allContainers(project)).toEqual([])
  })

  test('a plain `docker run -v` writing into logs/: refused before anything changes, naming it; keep-running purges around it', async () => {
    const root = envRoot({})
    const name = janitor.runContainer(`spwriter${id}n${seq}`, ['-v', `${path.join(root, 'logs')}:/w`, TEST_IMAGE, 'sh', '-c', 'while true; do echo x >> /w/w.log; sleep 0.2; done'])
    const before = snapshot(root)
    const err = await purge(root, { force: true, docker: 'auto' }).catch((e: Error) => e)
    expect(err).toMatchObject({
      code: 'ERR_CONTAINER_WRITING',
      message: expect.stringMatching(new RegExp(`^refusing to purge: container ${name} \\(${TEST_IMAGE.replace(/[.:]/g, '\\$&')}, not started by Compose\\) writes into logs through its bind mount .*: stop it first, or set keep-running to purge while it runs$`))
    })
    // Nothing purged (its own log grows; everything that was there is still there).
    expect(survivors(before, snapshot(root), (rel) => rel !== 'logs/w.log')).toEqual([])

    const report = await purge(root, { force: true, docker: 'auto', 'keep-running': true })
    expect(report.docker.writers).toEqual([expect.objectContaining({ name, binds: [expect.objectContaining({ target: path.join(fs.realpathSync(root), 'logs') })] })])
    expect(must('docker', ['inspect', '-f', '{{.State.Running}}', name]).trim()).toBe('true')
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
  })

  test("keep-running (the seed's log explosion): a log the stack holds open is truncated, the service keeps appending, the space comes back", async () => {
    // Free space is measured on a filesystem of this test's own (root can mount one): others write
    // to /tmp meanwhile. Elsewhere the file's own allocation shows the space came back.
    const base = tempDir('sp-running-')
    dirs.push(base)
    const root = path.join(base, `sprun${id}n${++seq}`)
    fs.mkdirSync(root)
    const own = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', root]).status === 0
    if (own) unmount.push(root)
    makeTree(root, MT5_TREE)
    const big = path.join(root, 'logs/app.log')
    fs.writeFileSync(big, Buffer.alloc(32 * 1024 * 1024, 0x61))
    const project = janitor.project(`logboom${id}n${seq}`)
    fs.writeFileSync(path.join(root, 'docker-compose.yml'), [
      "version: '3.7'",
      'services:',
      '  app:',
      `    image: ${TEST_IMAGE}`,
      '    init: true',
      // One open file descriptor for the whole life of the service, as a logger holds it.
      '    command: ["sh", "-c", "exec 3>>/logs/app.log; while true; do echo tick >&3; sleep 0.2; done"]',
      '    volumes:',
      '      - ./logs:/logs',
      ''
    ].join('\n'))
    up(root, ['-p', project])
    const container = `${project}_app_1`
    const report = await purge(root, { force: true, docker: 'auto', 'keep-running': true })

    expect(report.ok).toBe(true)
    expect(report.docker.keptRunning).toBe(true)
    expect(report.totals.truncatedFiles).toBe(1)
    expect(report.targets.find((t) => t.path === 'logs')?.truncated).toEqual([expect.objectContaining({ path: 'logs/app.log', bytes: expect.any(Number) })])
    // The space came back (the filesystem's own count), and the file is still the service's log.
    if (own) expect(report.space.reclaimedBytes).toBeGreaterThan(24 * 1024 * 1024)
    else expect(fs.statSync(big).blocks * 512).toBeLessThan(1024 * 1024)
    expect(must('docker', ['inspect', '-f', '{{.State.Running}}', container]).trim()).toBe('true')
    const after = fs.statSync(big).size
    expect(after).toBeLessThan(1024 * 1024)
    for (let i = 0; i < 100 && fs.statSync(big).size <= after; i++) await new Promise((r) => setTimeout(r, 100))
    expect(fs.statSync(big).size).toBeGreaterThan(after)
  })
})
