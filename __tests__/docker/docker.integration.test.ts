/**
 * The engine (run) against the real docker daemon: a Compose v1 stack that keeps writing into the
 * root, its named volumes, an external volume and look-alike volumes Compose adopted (one labelled
 * for another project, one unlabelled).
 * Skipped when no daemon (or compose v1, or the test image) is there, unless
 * SAFE_PURGE_REQUIRE_DOCKER=1, which turns that into a failure. Prepare a machine with
 * .ci/docker-setup.sh.
 */
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { confirmByName, prepare, run, type Logger, type RunDeps } from '../../src/engine/run.js'
import { buildSettings } from '../../src/engine/settings.js'
import type { PartialOptions } from '../../src/common/options.js'
import { runCommand, type Runner } from '../../src/docker/exec.js'
import type { Report } from '../../src/engine/report.js'
import { MT5_TREE, exists, removeDir, snapshot, survivors, tempDir } from '../helpers/tree.js'
import {
  COMPOSE_V1, Janitor, TEST_IMAGE, allContainers, dockerUnavailable, machineCompose, makeStack as makeStackIn, must, notTargeted as keep, runningContainers,
  volumeExists, which, type Stack
} from '../helpers/docker.js'

const REQUIRED = process.env.SAFE_PURGE_REQUIRE_DOCKER === '1'
const unavailable = dockerUnavailable()

if (unavailable && REQUIRED) {
  describe('docker integration', () => {
    test('a docker daemon is required (SAFE_PURGE_REQUIRE_DOCKER=1)', () => {
      throw new Error(`SAFE_PURGE_REQUIRE_DOCKER=1 but ${unavailable}: run .ci/docker-setup.sh as root`)
    })
  })
}

const suite = unavailable ? describe.skip : describe
const title = unavailable ? `docker integration (skipped: ${unavailable}; SAFE_PURGE_REQUIRE_DOCKER=1 fails instead)` : 'docker integration'

suite(title, () => {
  const janitor = new Janitor()
  const dirs: string[] = []
  const runId = crypto.randomBytes(3).toString('hex')
  let seq = 0
  const machine = machineCompose()

  afterAll(() => {
    const left = janitor.cleanup()
    dirs.forEach(removeDir)
    if (left.length > 0) console.warn(`docker cleanup left:\n${left.join('\n')}`)
  })

  /** A stack (helpers/docker.ts's makeStack) under a unique, already-normalized project name. */
  function makeStack(opts: { up?: boolean; withFile?: boolean; dotenv?: boolean } = {}): Stack {
    return makeStackIn(janitor, `sppurge${runId}${process.pid}n${++seq}`, dirs, opts)
  }

  function quietLog(): { log: Logger; warnings: string[]; infos: string[] } {
    const warnings: string[] = []
    const infos: string[] = []
    const log: Logger = {
      info: (l) => infos.push(l),
      warning: (l) => warnings.push(l),
      error: (l) => warnings.push(l),
      group: (_name, fn) => fn()
    }
    return { log, warnings, infos }
  }

  interface Recorded {
    args: string[]
    line: string
    /** Whether logs/trading.log (a purge target's file) still existed when the command started. */
    trackedLogExists: boolean
  }

  /** Runs the engine with the real runner, recording each docker command and the state of the root at that moment. */
  async function purge(root: string, options: PartialOptions, env: NodeJS.ProcessEnv = process.env): Promise<{ report: Report; commands: Recorded[]; warnings: string[] }> {
    const commands: Recorded[] = []
    const runner: Runner = async (cmd, opts) => {
      commands.push({ args: cmd.args, line: [cmd.command, ...cmd.args].join(' '), trackedLogExists: fs.existsSync(path.join(root, 'logs/trading.log')) })
      return runCommand(cmd, opts)
    }
    const { log, warnings } = quietLog()
    const deps: RunDeps = { log, env, confirm: confirmByName, runner }
    const report = await run(buildSettings(root, null, { 'docker-timeout': 60, ...options }), deps)
    return { report, commands, warnings }
  }

  const byKey = (r: Report): Record<string, { name: string; action: string; reason: string }> =>
    Object.fromEntries(r.docker.volumes.map((v) => [v.key, { name: v.name, action: v.action, reason: v.reason }]))
  /** What the report says about every volume of the stack with `full` and postgres_data protected. */
  const expectedVolumes = (s: Stack): ReturnType<typeof byKey> => ({
    redis_data: { name: s.own.redis_data, action: 'remove', reason: 'project volume' },
    cache_data: { name: s.own.cache_data, action: 'remove', reason: 'project volume' },
    postgres_data: { name: s.own.postgres_data, action: 'keep', reason: 'protected-volumes' },
    shared: { name: s.external, action: 'keep', reason: 'external' },
    old_data: { name: s.foreign, action: 'keep', reason: `labelled for project "${s.project}other"` },
    loose_data: { name: s.loose, action: 'keep', reason: 'not created by Compose (no project label)' }
  })
  const everyVolume = (s: Stack): string[] => [...Object.values(s.own), s.external, s.foreign, s.loose]

  test('(a) dry run: nothing changes, and the report says what would be stopped, removed and kept (and why)', async () => {
    const s = makeStack()
    const before = snapshot(s.root)
    const { report } = await purge(s.root, { 'dry-run': true, full: true, 'protected-volumes': ['postgres_data'] })

    // Everything byte-identical but the file the running stack appends to (proof it still runs).
    const after = snapshot(s.root)
    expect(survivors(before, after, (rel) => rel !== 'logs/app.log')).toEqual([])
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    expect(runningContainers(s.project)).toHaveLength(2)
    for (const v of everyVolume(s)) expect(volumeExists(v)).toBe(true)

    expect(report.dryRun).toBe(true)
    expect(report.ok).toBe(true)
    expect(report.docker).toMatchObject({ used: true, compose: machine.report, project: s.project, files: ['docker-compose.yml'], stopped: false, removedVolumes: [] })
    expect([...report.docker.containers].sort()).toEqual(allContainers(s.project).sort())
    expect(report.docker.containers).toHaveLength(2)
    expect(byKey(report)).toEqual(expectedVolumes(s))
    expect(report.deleted.sort()).toEqual(['.docker-compose-state', 'data/redis', 'data/temp', 'logs'])
  })

  test('(a2) dry run: an exited container is not one that "would be stopped"', async () => {
    const s = makeStack()
    const [db] = allContainers(s.project).filter((c) => c.includes('_db_'))
    must('docker', ['stop', '-t', '1', db])
    const { report } = await purge(s.root, { 'dry-run': true })
    expect(report.docker.containers).toEqual(allContainers(s.project).filter((c) => c !== db))
    expect(runningContainers(s.project)).toEqual(report.docker.containers)
    // What `down` will only remove (the report shows it once report.ts copies DockerState.exited).
    const { compose, root, targets } = await prepare(buildSettings(s.root, null, { 'dry-run': true }), { log: quietLog().log, env: process.env, confirm: confirmByName })
    expect(await compose.discover({ root, targets, keepRunning: false, services: [] })).toMatchObject({ containers: report.docker.containers, exited: [db] })
  })

  test('(b) force + full: the stack stops before any file goes; exactly the removable volumes go', async () => {
    const s = makeStack()
    const before = snapshot(s.root)
    const { report, commands } = await purge(s.root, { force: true, full: true, 'protected-volumes': ['postgres_data'] })

    // `down` ran while the files were all still there, and never with -v.
    const downs = commands.filter((c) => c.args.includes('down'))
    const [command, ...pre] = machine.base
    expect(downs).toEqual([{ args: [...pre, '-f', 'docker-compose.yml', '-p', s.project, 'down', '--remove-orphans'], line: expect.stringMatching(`^${command} `), trackedLogExists: true }])
    const rms = commands.filter((c) => c.line.startsWith('docker volume rm '))
    expect(rms.map((c) => c.args[2]).sort()).toEqual([s.own.cache_data, s.own.redis_data])
    expect(allContainers(s.project)).toEqual([])

    // Purged, and nothing writes into it any more.
    await new Promise((r) => setTimeout(r, 600))
    for (const p of ['logs/trading.log', 'logs/app.log', 'logs/archive', 'data/redis/dump.rdb', 'data/temp/cache.pkl', '.docker-compose-state']) {
      expect(exists(path.join(s.root, p))).toBe(false)
    }
    expect(survivors(before, snapshot(s.root), keep)).toEqual([])
    expect(fs.readFileSync(path.join(s.root, '.env'), 'utf8')).toBe(MT5_TREE['.env'])

    // Volumes: only the project's own, non-external, non-protected ones are gone; the report says why the others stay.
    expect(byKey(report)).toEqual(expectedVolumes(s))
    expect([...report.docker.removedVolumes].sort()).toEqual([s.own.cache_data, s.own.redis_data])
    expect(volumeExists(s.own.redis_data)).toBe(false)
    expect(volumeExists(s.own.cache_data)).toBe(false)
    for (const v of [s.own.postgres_data, s.external, s.foreign, s.loose]) expect(volumeExists(v)).toBe(true)

    expect(report.failures).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.verified).toBe(true)
    expect(report.docker).toMatchObject({ used: true, stopped: true, errors: [], verification: { ok: true, problems: [] } })
  })

  test('(c) docker: required with an unreachable daemon fails before any file is deleted', async () => {
    const s = makeStack({ up: false })
    const before = snapshot(s.root)
    let report: Report | undefined
    let error: unknown
    try {
      report = (await purge(s.root, { force: true, docker: 'required', 'docker-host': 'unix:///nonexistent.sock' })).report
    } catch (err) {
      error = err
    }
    // Either refusal form is acceptable; the engine today throws the coded error.
    if (report) expect(report.ok).toBe(false)
    else expect(error).toMatchObject({ code: 'ERR_DOCKER_REQUIRED', message: expect.stringContaining('nonexistent.sock') })
    expect(survivors(before, snapshot(s.root), () => true)).toEqual([])
    expect(exists(path.join(s.root, 'logs/trading.log'))).toBe(true)
  })

  test('(d) docker: auto without a compose file warns and purges the files', async () => {
    const s = makeStack({ up: false, withFile: false })
    const before = snapshot(s.root)
    const { report, warnings } = await purge(s.root, { force: true })
    expect(report.docker).toMatchObject({ used: false, stopped: false })
    expect(report.docker.skipped).toContain('no compose file was found in root')
    expect(warnings.join('\n')).toContain('docker skipped: no compose file')
    expect(report.warnings.join('\n')).toContain('docker skipped')
    expect(exists(path.join(s.root, 'logs/trading.log'))).toBe(false)
    expect(survivors(before, snapshot(s.root), keep)).toEqual([])
    expect(report.ok).toBe(true)
  })

  // Only RunDeps.env points docker at the plugin (process.env is left alone): were that seam
  // broken, `docker compose` would not find the plugin and the run would report v1.
  test('(e) compose v2 as a docker CLI plugin, found through RunDeps.env: stops the stack, and full removes the volumes', async () => {
    const s = makeStack()
    const home = tempDir('sp-home-')
    dirs.push(home)
    const pluginDir = path.join(home, '.docker', 'cli-plugins')
    fs.mkdirSync(pluginDir, { recursive: true })
    const calls = path.join(home, 'plugin-calls.log')
    // The plugin protocol: answer the metadata query; otherwise argv is `compose <args>`.
    fs.writeFileSync(
      path.join(pluginDir, 'docker-compose'),
      [
        '#!/bin/sh',
        'if [ "$1" = docker-cli-plugin-metadata ]; then',
        '  echo \'{"SchemaVersion":"0.1.0","Vendor":"test","Version":"2.0.0"}\'',
        '  exit 0',
        'fi',
        'shift',
        `echo "$*" >> ${JSON.stringify(calls)}`,
        `exec ${JSON.stringify(which(COMPOSE_V1))} "$@"`,
        ''
      ].join('\n'),
      { mode: 0o755 }
    )
    const processHome = process.env.HOME
    const env = { ...process.env, HOME: home, DOCKER_CONFIG: path.join(home, '.docker') }
    const { report } = await purge(s.root, { force: true, full: true, 'protected-volumes': ['postgres_data'] }, env)
    expect(process.env.HOME).toBe(processHome)

    expect(report.docker).toMatchObject({ used: true, compose: 'docker compose (v2)', stopped: true })
    expect(fs.readFileSync(calls, 'utf8')).toContain(`-f docker-compose.yml -p ${s.project} down --remove-orphans`)
    expect(allContainers(s.project)).toEqual([])
    expect(exists(path.join(s.root, 'logs/trading.log'))).toBe(false)
    expect(byKey(report)).toEqual(expectedVolumes(s))
    expect([...report.docker.removedVolumes].sort()).toEqual([s.own.cache_data, s.own.redis_data])
    for (const v of [s.own.redis_data, s.own.cache_data]) expect(volumeExists(v)).toBe(false)
    for (const v of [s.own.postgres_data, s.external, s.foreign, s.loose]) expect(volumeExists(v)).toBe(true)
    expect(report.ok).toBe(true)
  })

  test('(f) a project volume in use by an outside container is an error, and the run fails', async () => {
    const s = makeStack()
    const inUse = s.own.redis_data
    janitor.runContainer(`${s.project}-outsider`, ['-v', `${inUse}:/d`, TEST_IMAGE, 'sleep', '1000'])
    const { report } = await purge(s.root, { force: true, full: true, 'protected-volumes': ['postgres_data'] })

    expect(report.docker.stopped).toBe(true)
    expect(report.docker.removedVolumes).toEqual([s.own.cache_data])
    expect(report.docker.errors).toHaveLength(1)
    expect(report.docker.errors[0]).toContain(`docker volume rm ${inUse} exited 1`)
    expect(report.docker.errors[0]).toMatch(/in use/)
    expect(report.failures.some((f) => f.startsWith('docker: ') && f.includes(inUse))).toBe(true)
    expect(report.ok).toBe(false)
    expect(report.verified).toBe(false)
    expect(volumeExists(inUse)).toBe(true)
  })

  test('(g) a project name set only in .env (COMPOSE_PROJECT_NAME) is the stack that gets stopped', async () => {
    const s = makeStack({ dotenv: true })
    expect(path.basename(s.root)).not.toBe(s.project)
    const before = snapshot(s.root)
    const { report } = await purge(s.root, { force: true })
    expect(report.docker).toMatchObject({ used: true, project: s.project, stopped: true })
    expect(report.docker.containers).toHaveLength(2)
    expect(allContainers(s.project)).toEqual([])
    expect(exists(path.join(s.root, 'logs/trading.log'))).toBe(false)
    expect(survivors(before, snapshot(s.root), keep)).toEqual([])
    expect(report.ok).toBe(true)
  })
})
