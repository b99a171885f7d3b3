/**
 * The seed's scenario 2 against the real daemon: reset one service's state without restarting the
 * rest. Only that service is stopped, its targets purged, it is started again and waited for; the
 * other service is never restarted (same container id, same start time).
 */
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, survivors, tempDir } from '../helpers/tree.js'
import { purge } from '../helpers/engine.js'
import { COMPOSE_V1, Janitor, TEST_IMAGE, dockerUnavailable, must, notTargeted } from '../helpers/docker.js'

const unavailable = dockerUnavailable()
const REQUIRED = process.env.SAFE_PURGE_REQUIRE_DOCKER === '1'
const suite = unavailable && !REQUIRED ? describe.skip : describe

/** Two services: redis keeps its state in data/redis and has a healthcheck; api appends to logs/. */
function stackFile(redisCommand: string): string {
  return [
    "version: '3.7'",
    'services:',
    '  redis:',
    `    image: ${TEST_IMAGE}`,
    '    init: true',
    `    command: ["sh", "-c", ${JSON.stringify(redisCommand)}]`,
    '    healthcheck:',
    '      test: ["CMD", "test", "-f", "/tmp/ready"]',
    '      interval: 1s',
    '      retries: 30',
    '    volumes:',
    '      - ./data/redis:/data',
    '      - redis_cache:/cache',
    '  api:',
    `    image: ${TEST_IMAGE}`,
    '    init: true',
    '    command: ["sh", "-c", "while true; do echo tick >> /logs/api.log; sleep 0.5; done"]',
    '    volumes:',
    '      - ./logs:/logs',
    '      - api_cache:/cache',
    'volumes:',
    '  redis_cache:',
    '  api_cache:',
    ''
  ].join('\n')
}

const HEALTHY_REDIS = 'sleep 1; touch /tmp/ready; while true; do sleep 1; done'

suite(`services: reset one, keep the rest running${unavailable ? ` (${unavailable})` : ''}`, () => {
  const janitor = new Janitor()
  const dirs: string[] = []
  const id = `${crypto.randomBytes(3).toString('hex')}${process.pid}`
  let seq = 0
  beforeAll(() => {
    if (unavailable) throw new Error(`SAFE_PURGE_REQUIRE_DOCKER=1 but ${unavailable}`)
  })
  afterAll(() => {
    janitor.cleanup()
    dirs.forEach(removeDir)
  })

  function upStack(redisCommand = HEALTHY_REDIS): { root: string; project: string } {
    const base = tempDir('sp-services-')
    dirs.push(base)
    const project = janitor.project(`spsvc${id}n${++seq}`)
    const root = path.join(base, project)
    fs.mkdirSync(root)
    makeTree(root, { ...MT5_TREE, 'docker-compose.yml': stackFile(redisCommand) })
    must(COMPOSE_V1, ['-p', project, 'up', '-d'], { cwd: root, timeoutMs: 90000 })
    return { root, project }
  }

  const inspect = (name: string): { id: string; startedAt: string; running: boolean; health: string } => {
    const [c] = JSON.parse(must('docker', ['inspect', name])) as { Id: string; State: { StartedAt: string; Running: boolean; Health?: { Status: string } } }[]
    return { id: c.Id, startedAt: c.State.StartedAt, running: c.State.Running, health: c.State.Health?.Status ?? '' }
  }

  test('only redis is reset: data/redis purged, redis started again and healthy; api never restarted; full removes only redis volumes', async () => {
    const { root, project } = upStack()
    const api = `${project}_api_1`
    const apiBefore = inspect(api)
    const redisBefore = inspect(`${project}_redis_1`)
    const before = snapshot(root)

    const report = await purge(root, { docker: 'auto', services: ['redis'], ephemeral: ['data/redis'], full: true })

    expect(report.ok).toBe(true)
    expect(report.failures).toEqual([])
    // api: the very same container, never restarted.
    expect(inspect(api)).toEqual(apiBefore)
    // redis: a new container, running and healthy.
    const redisAfter = inspect(`${project}_redis_1`)
    expect(redisAfter.id).not.toBe(redisBefore.id)
    expect(redisAfter).toMatchObject({ running: true, health: 'healthy' })
    expect(report.docker.services).toMatchObject({ project, names: ['redis'], restarted: ['redis'] })
    expect(report.docker.services?.before.map((r) => r.service)).toEqual(['api', 'redis'])
    expect(report.docker.services?.after.find((r) => r.service === 'api')?.id).toBe(apiBefore.id.slice(0, 12))
    // full: the volume redis mounts goes, api's stays.
    expect(report.docker.removedVolumes).toEqual([`${project}_redis_cache`])
    expect(must('docker', ['volume', 'ls', '-q']).split('\n')).toContain(`${project}_api_cache`)
    expect(exists(path.join(root, 'data/redis/dump.rdb'))).toBe(false)
    expect(survivors(before, snapshot(root), (rel) => notTargeted(rel) && !rel.startsWith('logs/'))).toEqual([])
  }, 180000)

  test('an unknown service is refused before anything happens, listing the services that exist', async () => {
    const { root, project } = upStack()
    const apiBefore = inspect(`${project}_api_1`)
    await expect(purge(root, { docker: 'auto', services: ['reddis'] })).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_SERVICE',
      message: `services names a service that does not exist (reddis); the services are ${project}: api, redis: fix services`
    })
    expect(inspect(`${project}_api_1`)).toEqual(apiBefore)
    expect(exists(path.join(root, 'data/redis/dump.rdb'))).toBe(true)
  }, 180000)

  test('a service that is not reset but writes into a target refuses the run before anything changes, naming it', async () => {
    const { root, project } = upStack()
    const apiBefore = inspect(`${project}_api_1`)
    const redisBefore = inspect(`${project}_redis_1`)
    await expect(purge(root, { docker: 'auto', services: ['redis'], ephemeral: ['data/redis', 'logs'] })).rejects.toMatchObject({
      code: 'ERR_CONTAINER_WRITING',
      message: expect.stringMatching(new RegExp(`^refusing to purge: container ${project}_api_1 \\(project ${project}, service api\\) keeps running and writes into logs .*add its service to services, or leave that path out of ephemeral$`))
    })
    // Neither was stopped or restarted: the same containers, started at the same moment (redis's
    // health may go on from "starting" to "healthy" meanwhile: that is its healthcheck, not us).
    const same = (c: { id: string; startedAt: string; running: boolean }): object => ({ id: c.id, startedAt: c.startedAt, running: c.running })
    expect(same(inspect(`${project}_api_1`))).toEqual(same(apiBefore))
    expect(same(inspect(`${project}_redis_1`))).toEqual(same(redisBefore))
    expect(exists(path.join(root, 'data/redis/dump.rdb'))).toBe(true)
  }, 180000)

  test('a service that fails to come back fails the run, naming it with its last log lines', async () => {
    // It starts only with its state in place: after the purge, it exits.
    const { root, project } = upStack('if [ ! -f /data/dump.rdb ]; then echo boom: state is gone; exit 3; fi; touch /tmp/ready; while true; do sleep 1; done')
    const report = await purge(root, { docker: 'auto', services: ['redis'], ephemeral: ['data/redis'], 'docker-timeout': 30 })
    expect(report.ok).toBe(false)
    expect(report.failures.join('\n')).toMatch(/service redis did not come back \(.*exit code 3.*\).*last log lines: .*boom: state is gone/)
    expect(report.docker.services?.restarted).toEqual([])
    expect(inspect(`${project}_api_1`).running).toBe(true)
  }, 180000)
})
