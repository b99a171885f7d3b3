/**
 * Resetting some services of a stack without restarting the rest (the seed's scenario 2): which
 * stack runs them, what each service's containers were before and after, and starting them again
 * (`up -d --no-deps`), waiting until they run, and healthy when they have a healthcheck.
 */
import { fail } from '../common/errors.js'
import { composeUpServices, containerLogs, listProjectContainers, listServiceContainers, type ComposeCall } from './commands.js'
import type { DockerCli } from './cli.js'
import { parseContainers, type Container, type Stack } from './running.js'

/** One container of the stack, as the before/after table shows it. */
export interface ServiceRow {
  service: string
  name: string
  id: string
  state: string
  startedAt: string
  health: string | null
}

export interface ServicesState {
  project: string
  /** The services reset. */
  names: string[]
  /** Every container of the stack before the run, and after the reset services came back. */
  before: ServiceRow[]
  after: ServiceRow[]
  /** The services that came back. */
  restarted: string[]
}

export function rowsOf(containers: readonly Container[]): ServiceRow[] {
  return containers
    .map((c) => ({ service: c.service ?? '', name: c.name, id: c.id.slice(0, 12), state: c.state, startedAt: c.startedAt, health: c.health }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name))
}

/**
 * The one stack that has all of `names` (as running containers' services or in its files), else a
 * coded error listing the services that exist. `known` gives a stack's services.
 */
export function chooseStack(stacks: readonly Stack[], names: readonly string[], known: (s: Stack) => string[], option: string): Stack {
  const all = stacks.map((s) => ({ s, services: new Set([...known(s), ...s.containers.map((c) => c.service ?? '').filter(Boolean)]) }))
  const match = all.find(({ services }) => names.every((n) => services.has(n)))
  if (match) return match.s
  const exist = all.map(({ s, services }) => `${s.project}: ${[...services].sort().join(', ') || 'none'}`).join('; ')
  const unknown = names.filter((n) => !all.some(({ services }) => services.has(n)))
  throw fail(
    'ERR_UNKNOWN_SERVICE',
    `${option} ${unknown.length > 0 ? `names a service that does not exist (${unknown.join(', ')})` : 'names services of different stacks'}; the services are ${exist || 'none (no stack found)'}: fix ${option}`
  )
}

const POLL_MS = 500

/**
 * Starts the services again and waits, within `timeoutMs`, until each has a running container
 * (healthy, with a healthcheck). Returns one error per service that did not come back, with its
 * state and last log lines.
 */
export async function restartServices(cli: DockerCli, call: ComposeCall, st: ServicesState, timeoutMs: number): Promise<string[]> {
  await cli.must(composeUpServices(call, st.names))
  const deadline = Date.now() + timeoutMs
  const pending = new Set(st.names)
  const errors: string[] = []
  for (;;) {
    for (const service of [...pending]) {
      const c = await serviceContainer(cli, st.project, service)
      const up = c !== null && c.running && (c.health === null || c.health === 'healthy')
      const failed = c !== null && (!c.running || c.health === 'unhealthy') && c.state !== 'restarting'
      if (up) {
        pending.delete(service)
        st.restarted.push(service)
      } else if (failed || Date.now() > deadline) {
        pending.delete(service)
        errors.push(await notBack(cli, service, c, Date.now() > deadline ? `did not become ${c?.health ? 'healthy' : 'running'} within ${timeoutMs / 1000} s` : ''))
      }
    }
    if (pending.size === 0) break
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
  return errors
}

async function serviceContainer(cli: DockerCli, project: string, service: string): Promise<Container | null> {
  return parseContainers(await cli.inspectListed(listServiceContainers(project, service)))[0] ?? null
}

async function notBack(cli: DockerCli, service: string, c: Container | null, why: string): Promise<string> {
  if (c === null) return `service ${service} did not come back: no container was created`
  const state = !c.running ? `${c.state}, exit code ${c.exitCode}` : c.health === 'unhealthy' ? 'unhealthy' : c.state
  const r = await cli.run(containerLogs(c.id, 10))
  const said = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean).slice(-10).join(' | ')
  return `service ${service} did not come back (${why || state}; container ${c.name}, ${state})${said ? `; last log lines: ${said}` : ''}`
}

/** Every container of the project now, for the before/after table. */
export async function containersNow(cli: DockerCli, project: string): Promise<ServiceRow[]> {
  return rowsOf(parseContainers(await cli.inspectListed(listProjectContainers(project))))
}
