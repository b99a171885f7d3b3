/**
 * The real docker daemon for the integration tests: is it usable, run a CLI command, bring a
 * Compose v1 stack up, and remove everything a test created (by project label and by name).
 * Everything here calls the docker CLI with argument arrays, never through a shell.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { MT5_TREE, makeTree, tempDir } from './tree.js'

export const TEST_IMAGE = 'safe-purge-test:latest'
export const PROJECT_LABEL = 'com.docker.compose.project'
export const VOLUME_LABEL = 'com.docker.compose.volume'
/** The v1 binary the tests bring stacks up with (and the fake v2 plugin execs). */
export const COMPOSE_V1 = 'docker-compose'

export interface Sh {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs a command (no shell) and returns its result; never throws. */
export function sh(command: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Sh {
  const r = spawnSync(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeoutMs ?? 60000 })
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.error ? `${r.error.message}\n${r.stderr ?? ''}` : (r.stderr ?? '') }
}

/** Runs a command and returns its stdout; throws with the command and its stderr when it fails. */
export function must(command: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  const r = sh(command, args, opts)
  if (r.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed (${r.status}): ${r.stderr.trim() || r.stdout.trim()}`)
  return r.stdout
}

function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter(Boolean)
}

/** Why the integration tests cannot run here, or null when the daemon, compose v1 and the image are all there. */
export function dockerUnavailable(): string | null {
  const server = sh('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15000 })
  if (server.status !== 0) return `no docker daemon answers (docker version: ${lines(server.stderr).slice(-1)[0] ?? `exit ${server.status}`})`
  if (sh(COMPOSE_V1, ['version'], { timeoutMs: 15000 }).status !== 0) return `${COMPOSE_V1} (v1) is not installed`
  if (sh('docker', ['image', 'inspect', TEST_IMAGE], { timeoutMs: 15000 }).status !== 0) return `the image ${TEST_IMAGE} does not exist (run .ci/docker-setup.sh)`
  return null
}

/** The absolute path of `command` on PATH, or null. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(':').filter(Boolean)) {
    const p = path.join(dir, command)
    try {
      fs.accessSync(p, fs.constants.X_OK)
      if (fs.statSync(p).isFile()) return p
    } catch {
      // not here
    }
  }
  return null
}

/**
 * The compose the engine will pick on this machine, as the report spells it: a v2 plugin
 * when `docker compose` works, else v1 (the Debian CI machine has only v1).
 */
export function machineCompose(): { report: string; base: string[] } {
  return sh('docker', ['compose', 'version'], { timeoutMs: 15000 }).status === 0
    ? { report: 'docker compose (v2)', base: ['docker', 'compose'] }
    : { report: 'docker-compose (v1)', base: ['docker-compose'] }
}

/** Running containers of a compose project. */
export function runningContainers(project: string): string[] {
  return lines(must('docker', ['ps', '--filter', `label=${PROJECT_LABEL}=${project}`, '--filter', 'status=running', '--format', '{{.Names}}']))
}

/** All containers (any state) of a compose project. */
export function allContainers(project: string): string[] {
  return lines(must('docker', ['ps', '-a', '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{.Names}}']))
}

export function volumeExists(name: string): boolean {
  return sh('docker', ['volume', 'inspect', name]).status === 0
}

/**
 * Records what a test file creates and removes all of it: every container, volume and network
 * labelled with a recorded project, and the containers and volumes recorded by name.
 */
export class Janitor {
  private readonly projects = new Set<string>()
  private readonly containers = new Set<string>()
  private readonly volumes = new Set<string>()

  project(name: string): string {
    this.projects.add(name)
    return name
  }

  /** `docker volume create` with labels, recorded for removal. */
  createVolume(name: string, labels: Record<string, string> = {}): string {
    this.volumes.add(name)
    must('docker', ['volume', 'create', ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), name])
    return name
  }

  /** `docker run -d --name name ...args`, recorded for removal. */
  runContainer(name: string, args: readonly string[]): string {
    this.containers.add(name)
    must('docker', ['run', '-d', '--name', name, ...args])
    return name
  }

  /** Best effort, never throws: what cannot be removed is returned for the test log. */
  cleanup(): string[] {
    const left: string[] = []
    const rm = (args: string[]): void => {
      const r = sh('docker', args)
      if (r.status !== 0 && !/no such/i.test(r.stderr)) left.push(`docker ${args.join(' ')}: ${r.stderr.trim()}`)
    }
    const labelled = (kind: 'ps' | 'volume' | 'network', project: string): string[] => {
      const base = kind === 'ps' ? ['ps', '-aq'] : [kind, 'ls', '-q']
      return lines(sh('docker', [...base, '--filter', `label=${PROJECT_LABEL}=${project}`]).stdout)
    }
    const containers = new Set(this.containers)
    for (const p of this.projects) labelled('ps', p).forEach((c) => containers.add(c))
    if (containers.size > 0) rm(['rm', '-f', '-v', ...containers])
    for (const p of this.projects) for (const n of labelled('network', p)) rm(['network', 'rm', n])
    const volumes = new Set(this.volumes)
    for (const p of this.projects) labelled('volume', p).forEach((v) => volumes.add(v))
    for (const v of volumes) rm(['volume', 'rm', '-f', v])
    return left
  }
}

export interface Stack {
  root: string
  project: string
  /** The external volume (plain `docker volume create`, no labels, as Compose never creates one). */
  external: string
  /** `<project>_old_data`, declared in the file but labelled for another project: Compose adopts it. */
  foreign: string
  /** `<project>_loose_data`, declared in the file, created without labels before `up`: Compose adopts it. */
  loose: string
  /** The volumes Compose itself creates for the project (labelled for it). */
  own: { redis_data: string; cache_data: string; postgres_data: string }
}

/** The compose file: `app` appends to the bind-mounted logs/ in a loop; both services use named volumes. */
function composeFile(image: string, external: string): string {
  return [
    "version: '3.7'",
    'services:',
    '  app:',
    `    image: ${image}`,
    '    init: true',
    '    command: ["sh", "-c", "while true; do echo tick >> /logs/app.log; sleep 0.2; done"]',
    '    volumes:',
    ...['./logs:/logs', 'redis_data:/data/redis', 'cache_data:/data/cache'].map((v) => `      - ${v}`),
    '  db:',
    `    image: ${image}`,
    '    init: true',
    '    command: ["sleep", "1000"]',
    '    volumes:',
    ...['postgres_data:/data/pg', 'shared:/data/shared', 'old_data:/data/old', 'loose_data:/data/loose'].map((v) => `      - ${v}`),
    'volumes:',
    '  redis_data:',
    '  cache_data:',
    '  postgres_data:',
    '  old_data:',
    '  loose_data:',
    '  shared:',
    '    external: true',
    `    name: ${external}`,
    ''
  ].join('\n')
}

/**
 * An MT5-like root named after `project` (Compose's default name) in a new temp dir under `dirs`,
 * with a compose file, an external volume, and two look-alike volumes Compose adopts (one
 * labelled for another project, one unlabelled). With `up`, brought up with v1 (`-p project`);
 * with `dotenv`, the name is set in the root's .env only (the folder is named otherwise) and the
 * stack is brought up without -p, as an operator typing `docker-compose up -d` would.
 */
export function makeStack(janitor: Janitor, project: string, dirs: string[], { up = true, withFile = true, dotenv = false } = {}): Stack {
  janitor.project(project)
  const base = tempDir('sp-docker-')
  dirs.push(base)
  const root = path.join(base, dotenv ? `${project}-folder` : project)
  fs.mkdirSync(root)
  makeTree(root, { ...MT5_TREE, ...(dotenv ? { '.env': `${MT5_TREE['.env'] as string}COMPOSE_PROJECT_NAME=${project}\n` } : {}) })
  const external = janitor.createVolume(`${project}_ext_shared`)
  const foreign = janitor.createVolume(`${project}_old_data`, { [PROJECT_LABEL]: `${project}other`, [VOLUME_LABEL]: 'old_data' })
  const loose = janitor.createVolume(`${project}_loose_data`)
  if (withFile) fs.writeFileSync(path.join(root, 'docker-compose.yml'), composeFile(TEST_IMAGE, external))
  if (up) {
    must(COMPOSE_V1, [...(dotenv ? [] : ['-p', project]), 'up', '-d'], { cwd: root, timeoutMs: 60000 })
    if (runningContainers(project).length !== 2) throw new Error(`the stack ${project} did not come up with 2 running containers`)
    waitFor(() => fs.existsSync(path.join(root, 'logs/app.log')), 'the app service to write logs/app.log')
  }
  const own = { redis_data: `${project}_redis_data`, cache_data: `${project}_cache_data`, postgres_data: `${project}_postgres_data` }
  return { root, project, external, foreign, loose, own }
}

/** Blocks until `ok()` (polling every 100 ms), or throws after `ms`. */
export function waitFor(ok: () => boolean, what: string, ms = 15000): void {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
  }
}

/** A protected (not targeted) entry of MT5_TREE: everything but the default ephemeral targets. */
export const notTargeted = (rel: string): boolean => !/^(logs|data\/redis|data\/temp|\.docker-compose-state)(\/|$)/.test(rel)
