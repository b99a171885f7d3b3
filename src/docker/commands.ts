/**
 * Every docker command safe-purge runs, as data ({command, args}) built by pure functions (the
 * way docker/actions-toolkit does it), and the parsing of their output: tests check the exact
 * argument lists, and nothing here runs anything.
 */
import type { Command } from './exec.js'
import { PROJECT_LABEL } from './volumes.js'

export const SERVICE_LABEL = 'com.docker.compose.service'

export const dockerServerVersion = (): Command => ({ command: 'docker', args: ['version', '--format', '{{.Server.Version}}'] })
export const composeV2Version = (): Command => ({ command: 'docker', args: ['compose', 'version'] })
export const composeV1Version = (): Command => ({ command: 'docker-compose', args: ['version'] })
export const listContainers = (project: string): Command => ({
  command: 'docker',
  args: ['ps', '-a', '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{.Names}}\t{{.State}}']
})
export const listVolumes = (project: string): Command => ({
  command: 'docker',
  args: ['volume', 'ls', '-q', '--filter', `label=${PROJECT_LABEL}=${project}`]
})
export const listAllVolumes = (): Command => ({ command: 'docker', args: ['volume', 'ls', '-q'] })
export const inspectVolumes = (names: readonly string[]): Command => ({ command: 'docker', args: ['volume', 'inspect', ...names] })
export const removeVolume = (name: string): Command => ({ command: 'docker', args: ['volume', 'rm', name] })
/** Every container (any state), by full id. */
export const listAllContainers = (): Command => ({ command: 'docker', args: ['ps', '-aq', '--no-trunc'] })
export const inspectContainers = (ids: readonly string[]): Command => ({ command: 'docker', args: ['inspect', '--type', 'container', ...ids] })
export const stopContainers = (ids: readonly string[]): Command => ({ command: 'docker', args: ['stop', ...ids] })
export const removeContainers = (ids: readonly string[]): Command => ({ command: 'docker', args: ['rm', ...ids] })

/** Which compose project a command acts on: its files, its project directory when not the root, its name. */
export interface ComposeCall {
  base: readonly string[]
  files: readonly string[]
  project: string
  /** The working_dir its containers were started from, when it is not the root (files then resolve as at `up`). */
  projectDir?: string
}

function compose(c: ComposeCall, ...rest: string[]): Command {
  const [command, ...pre] = c.base
  const dir = c.projectDir === undefined ? [] : ['--project-directory', c.projectDir]
  return { command, args: [...pre, ...c.files.flatMap((f) => ['-f', f]), ...dir, '-p', c.project, ...rest] }
}

export function composeDown(base: readonly string[], files: readonly string[], project: string, projectDir?: string): Command {
  return compose({ base, files, project, projectDir }, 'down', '--remove-orphans')
}
/** Stops and removes only these services' containers. */
export const composeRmServices = (c: ComposeCall, services: readonly string[]): Command => compose(c, 'rm', '--stop', '--force', ...services)
/** Starts these services again, and nothing they depend on. */
export const composeUpServices = (c: ComposeCall, services: readonly string[]): Command => compose(c, 'up', '-d', '--no-deps', ...services)
/** A project's containers (any state), by full id. */
export const listProjectContainers = (project: string): Command => ({
  command: 'docker',
  args: ['ps', '-aq', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`]
})
/** A service's containers (any state), by full id. */
export const listServiceContainers = (project: string, service: string): Command => ({
  command: 'docker',
  args: ['ps', '-aq', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`, '--filter', `label=${SERVICE_LABEL}=${service}`]
})
export const containerLogs = (id: string, lines: number): Command => ({ command: 'docker', args: ['logs', '--tail', String(lines), id] })

/** Non-blank output lines, trimmed. */
export function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '')
}

/** States in which `down` has a process to stop; in the others (exited, created, dead) it only removes. */
export const RUNNING: ReadonlySet<string> = new Set(['running', 'paused', 'restarting'])

/** `ps` lines (name, tab, state) -> the names of running containers and of the others. */
export function splitByState(psLines: readonly string[]): { running: string[]; exited: string[] } {
  const running: string[] = []
  const exited: string[] = []
  for (const line of psLines) {
    const [name, state = ''] = line.split('\t')
    if (RUNNING.has(state.trim())) running.push(name.trim())
    else exited.push(name.trim())
  }
  return { running, exited }
}
