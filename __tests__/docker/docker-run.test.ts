/**
 * The engine's docker phases end to end: what a run does when Compose fails at each point, and
 * what the action reports (summary, removed-volumes) after a real `full` purge of a real stack.
 * A fake docker (a Runner answering by command line) only for faults a real daemon cannot give on
 * demand: a failing `down`, a container or a volume still there at verify time.
 */
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import type { Command, CommandResult, Runner } from '../../src/docker/exec.js'
import type { Report } from '../../src/engine/report.js'
import { MT5_TREE, exists, makeTree, removeDir, snapshot, survivors, tempDir } from '../helpers/tree.js'
import { purge, quietLogger } from '../helpers/engine.js'
import { runAction } from '../helpers/action.js'
import { Janitor, allContainers, dockerUnavailable, makeStack, notTargeted, volumeExists } from '../helpers/docker.js'

const COMPOSE = 'services:\n  app:\n    image: x\nvolumes:\n  redis_data:\n'
const PROJECT = 'mt5-env'

const dirs: string[] = []
afterAll(() => dirs.forEach(removeDir))

/** An MT5 root named mt5-env (the project name Compose derives) with a compose file. */
function stackRoot(): string {
  const base = tempDir('sp-docker-run-')
  dirs.push(base)
  const root = path.join(base, PROJECT)
  makeTree(root, { ...MT5_TREE, 'compose.yaml': COMPOSE })
  return root
}

const answer = (stdout = '', exitCode = 0, stderr = ''): CommandResult => ({ exitCode, stdout, stderr, timedOut: false })

/**
 * A docker whose daemon answers and whose v2 plugin works, with the project's running container and
 * its labelled volume; `over` replaces the answer to a command line (or `<line>#<n>` for its n-th call).
 */
function fakeDocker(root: string, over: Record<string, CommandResult> = {}): { runner: Runner; calls: string[] } {
  const calls: string[] = []
  const label = `label=com.docker.compose.project=${PROJECT}`
  const volume = `${PROJECT}_redis_data`
  // The project's container as Compose v2 labels it (config_files absolute), started from the root.
  const container = {
    Id: 'c0ffee', Name: `/${PROJECT}-app-1`, State: { Status: 'running' },
    Config: { Image: 'x', Labels: { 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': 'app', 'com.docker.compose.project.working_dir': root, 'com.docker.compose.project.config_files': path.join(root, 'compose.yaml') } },
    Mounts: [{ Type: 'bind', Source: path.join(root, 'logs'), Destination: '/logs' }]
  }
  const base: Record<string, CommandResult> = {
    'docker version --format {{.Server.Version}}': answer('20.10.24\n'),
    'docker compose version': answer('Docker Compose version v2.20.0\n'),
    'docker ps -aq --no-trunc': answer('c0ffee\n'),
    'docker inspect --type container c0ffee': answer(JSON.stringify([container])),
    [`docker ps -a --filter ${label} --format {{.Names}}\t{{.State}}`]: answer(),
    [`docker volume ls -q --filter ${label}`]: answer(`${volume}\n`),
    'docker volume ls -q#1': answer(`${volume}\n`),
    'docker volume ls -q': answer(),
    [`docker volume inspect ${volume}`]: answer(JSON.stringify([{ Name: volume, Labels: { 'com.docker.compose.project': PROJECT, 'com.docker.compose.volume': 'redis_data' } }])),
    [`docker compose -f compose.yaml -p ${PROJECT} down --remove-orphans`]: answer(),
    [`docker volume rm ${volume}`]: answer(`${volume}\n`)
  }
  const runner = async (cmd: Command): Promise<CommandResult> => {
    const line = [cmd.command, ...cmd.args].join(' ')
    calls.push(line)
    const n = calls.filter((c) => c === line).length
    const r = over[`${line}#${n}`] ?? over[line] ?? base[`${line}#${n}`] ?? base[line]
    if (!r) throw new Error(`the fake docker has no answer for: ${line}`)
    return r
  }
  return { runner, calls }
}

describe('docker faults in a real run (fake docker)', () => {
  test('a container still there at verify time fails the run', async () => {
    const root = stackRoot()
    const before = snapshot(root)
    const fake = fakeDocker(root, { [`docker ps -a --filter label=com.docker.compose.project=${PROJECT} --format {{.Names}}\t{{.State}}#1`]: answer(`${PROJECT}-app-1\texited\n`) })
    const report = await purge(root, { docker: 'auto' }, { runner: fake.runner })

    expect(report.docker.verification).toEqual({ ok: false, problems: [`containers of project ${PROJECT} still exist: ${PROJECT}-app-1`] })
    expect(report.failures).toEqual([`docker verification failed: containers of project ${PROJECT} still exist: ${PROJECT}-app-1`])
    expect(report.ok).toBe(false)
    expect(report.verified).toBe(false)
    // The files were purged (the stack was reported down); the protected ones are untouched.
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
    expect(survivors(before, snapshot(root), notTargeted)).toEqual([])
  })

  test('a volume reported removed but still there at verify time fails the run', async () => {
    const root = stackRoot()
    const before = snapshot(root)
    const fake = fakeDocker(root, { 'docker volume ls -q#2': answer(`${PROJECT}_redis_data\nunrelated\n`) })
    const report = await purge(root, { docker: 'auto', full: true }, { runner: fake.runner })

    expect(fake.calls).toContain(`docker volume rm ${PROJECT}_redis_data`)
    expect(report.docker.removedVolumes).toEqual([`${PROJECT}_redis_data`])
    expect(report.docker.verification).toEqual({ ok: false, problems: [`volume ${PROJECT}_redis_data still exists`] })
    expect(report.failures).toEqual([`docker verification failed: volume ${PROJECT}_redis_data still exists`])
    expect(report.ok).toBe(false)
    expect(report.verified).toBe(false)
    expect(survivors(before, snapshot(root), notTargeted)).toEqual([])
  })

  test('a failing `compose down` deletes no file, removes no volume, and fails the run', async () => {
    const root = stackRoot()
    const before = snapshot(root)
    const stderr = 'Error response from daemon: cannot stop container: mt5-env-app-1: permission denied\n'
    const fake = fakeDocker(root, { [`docker compose -f compose.yaml -p ${PROJECT} down --remove-orphans`]: answer('', 1, stderr) })
    const report = await purge(root, { docker: 'required', full: true }, { runner: fake.runner })

    // Byte for byte, every entry: targets included.
    expect(survivors(before, snapshot(root), () => true)).toEqual([])
    expect([...snapshot(root).keys()].sort()).toEqual([...before.keys()].sort())
    expect(fake.calls.filter((c) => c.startsWith('docker volume rm'))).toEqual([])
    expect(report.docker).toMatchObject({ stopped: false, removedVolumes: [] })
    expect(report.failures[0]).toBe(
      `docker compose down failed, so no file was deleted (containers may still be writing): docker compose -f compose.yaml -p ${PROJECT} down --remove-orphans exited 1: ${stderr.trim()}`
    )
    expect(report.deleted).toEqual([])
    expect(report.ok).toBe(false)
  })
})

describe('docker: auto with a compose file but no reachable daemon (real docker CLI)', () => {
  // The stack may be running and writing: purging under it is not "auto", it is a risk to accept.
  test('refuses before anything changes, and says how to proceed (docker: off)', async () => {
    const root = stackRoot()
    const before = snapshot(root)
    const err = await purge(root, { docker: 'auto', 'docker-host': 'unix:///nonexistent.sock', 'docker-timeout': 30 }).catch((e: Error) => e)
    expect(err).toMatchObject({
      code: 'ERR_DOCKER_UNCHECKED',
      message: expect.stringMatching(/^refusing to purge: the docker daemon cannot be reached \(docker version .*\), and root has a compose file \(compose\.yaml\) whose stack may be running: .*set docker to off to purge without stopping anything$/)
    })
    expect(survivors(before, snapshot(root), () => true)).toEqual([])
    expect([...snapshot(root).keys()].sort()).toEqual([...before.keys()].sort())
  })

  test('with docker: off the same root is purged, and the report says docker was off', async () => {
    const root = stackRoot()
    const before = snapshot(root)
    const log = quietLogger()
    const report = await purge(root, { docker: 'off', 'docker-host': 'unix:///nonexistent.sock' }, { log })
    expect(report.docker).toMatchObject({ used: false, stopped: false, skipped: 'docker: off' })
    expect(exists(path.join(root, 'logs/trading.log'))).toBe(false)
    expect(exists(path.join(root, 'compose.yaml'))).toBe(true)
    expect(survivors(before, snapshot(root), notTargeted)).toEqual([])
    expect(report.ok).toBe(true)
  })
})

// The built action (dist/index.js) as the runner starts it, against the real daemon.
const unavailable = dockerUnavailable()
const real = unavailable && process.env.SAFE_PURGE_REQUIRE_DOCKER !== '1' ? describe.skip : describe

real(`the action's Docker summary and removed-volumes output after a real full purge${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const janitor = new Janitor()
  afterAll(() => {
    const left = janitor.cleanup()
    if (left.length > 0) console.warn(`docker cleanup left:\n${left.join('\n')}`)
  })

  /** The summary's section under `<h3>title</h3>`, up to the next heading. */
  const section = (summary: string, title: string): string => {
    const start = summary.indexOf(`<h3>${title}</h3>`)
    if (start < 0) return `no ${title} section`
    const rest = summary.slice(start)
    const end = rest.indexOf('<h3>', 1)
    return end < 0 ? rest : rest.slice(0, end)
  }
  /** The summary's table row that shows `name`. */
  const row = (summary: string, name: string): string => summary.split('<tr>').find((r) => r.includes(`<code>${name}</code>`)) ?? `no row for ${name}`

  test('exactly the removable volumes are removed and reported; the others are kept with their reason', () => {
    if (unavailable) throw new Error(`SAFE_PURGE_REQUIRE_DOCKER=1 but ${unavailable}`)
    const s = makeStack(janitor, `sprun${crypto.randomBytes(3).toString('hex')}${process.pid}`, dirs)
    const before = snapshot(s.root)
    const containers = allContainers(s.project)
    expect(containers).toHaveLength(2)
    const r = runAction({ root: s.root, force: 'true', full: 'true', 'protected-volumes': 'postgres_data', docker: 'required', 'docker-timeout': '50' })

    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    const removed = [s.own.cache_data, s.own.redis_data]
    expect(JSON.parse(r.outputs['removed-volumes']).sort()).toEqual(removed)
    for (const v of removed) expect(volumeExists(v)).toBe(false)
    for (const v of [s.own.postgres_data, s.external, s.foreign, s.loose]) expect(volumeExists(v)).toBe(true)
    expect(allContainers(s.project)).toEqual([])
    expect(survivors(before, snapshot(s.root), notTargeted)).toEqual([])

    const docker = section(r.summary, 'Docker')
    // The stack: which project, from which files, found how, stopped how, and its containers.
    const stack = row(docker, s.project)
    expect(stack).toContain('<td><code>docker-compose.yml</code></td><td>running containers</td>')
    expect(stack).toMatch(/docker(-| )compose \(v[12]\) down/)
    for (const c of containers) expect(stack).toContain(`<code>${c}</code>`)
    expect(stack).toContain('(stopped)')
    for (const v of removed) expect(row(docker, v)).toMatch(/<td>removed<\/td>/)
    expect(row(docker, s.own.postgres_data)).toContain('kept: protected-volumes')
    expect(row(docker, s.external)).toContain('kept: external')
    expect(row(docker, s.foreign)).toContain(`kept: labelled for project &#34;${s.project}other&#34;`)
    expect(row(docker, s.loose)).toContain('kept: not created by Compose (no project label)')
    const report = JSON.parse(fs.readFileSync(r.outputs.report, 'utf8')) as Report
    expect(report.docker.verification).toEqual({ ok: true, problems: [] })
    expect(report.ok).toBe(true)
  })
})
