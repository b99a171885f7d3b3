/**
 * Every docker command safe-purge runs, as data ({command, args}) built by pure functions (the
 * way docker/actions-toolkit does it), and the parsing of their output: tests check the exact
 * argument lists, and nothing here runs anything.
 */
import type { Command } from './exec.js'
import { PROJECT_LABEL } from './volumes.js'

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
export function composeDown(base: readonly string[], files: readonly string[], project: string): Command {
  const [command, ...pre] = base
  return { command, args: [...pre, ...files.flatMap((f) => ['-f', f]), '-p', project, 'down', '--remove-orphans'] }
}

/** Non-blank output lines, trimmed. */
export function lines(s: string): string[]
 {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '')
}

/** States in which `down` has a process to stop; in the others (exited, created, dead) it only removes. */
const RUNNING = new Set(['running', 'paused', 'restarting'])

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
