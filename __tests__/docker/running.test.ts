/**
 * Which stacks run from a root, from `docker inspect` documents: recorded from Compose v1 here
 * (config_files relative to working_dir) and as Compose v2 writes them (its create.go sets
 * working_dir to the project's directory and config_files to its files, absolute, joined by ",").
 */
import { findEnvironment, parseContainers, reachesInto, type InspectedContainer, type Probe } from '../../src/docker/running.js'

const ROOT = { path: '/srv/mt5', dev: 1, ino: 100 }

function container(name: string, labels: Record<string, string> | null, over: Partial<InspectedContainer> = {}): InspectedContainer {
  return { Id: `id-${name}`, Name: `/${name}`, State: { Status: 'running' }, Config: { Image: 'redis:7', Labels: labels }, Mounts: [], ...over }
}

/** Recorded from `docker-compose -f docker-compose.prod.yml -p trading up -d` (Compose 1.29.2). */
const V1 = container('trading_redis_1', {
  'com.docker.compose.config-hash': '20a02e9dfc9a',
  'com.docker.compose.container-number': '1',
  'com.docker.compose.oneoff': 'False',
  'com.docker.compose.project': 'trading',
  'com.docker.compose.project.config_files': 'docker-compose.prod.yml',
  'com.docker.compose.project.working_dir': '/srv/mt5',
  'com.docker.compose.service': 'redis',
  'com.docker.compose.version': '1.29.2'
}, { Mounts: [{ Type: 'bind', Source: '/srv/mt5/data/redis', Destination: '/data' }, { Type: 'volume', Name: 'trading_cache', Destination: '/cache' }] })

/** As Compose v2 labels a container of `docker compose -f compose.yaml -f compose.prod.yaml up -d`. */
const V2 = container('mt5-api-1', {
  'com.docker.compose.project': 'mt5',
  'com.docker.compose.project.config_files': '/srv/mt5/compose.yaml,/srv/mt5/compose.prod.yaml',
  'com.docker.compose.project.working_dir': '/srv/mt5',
  'com.docker.compose.service': 'api',
  'com.docker.compose.version': '2.20.0'
})

function probe(over: Partial<Probe> = {}): Probe {
  const nodes: Record<string, { dev: number; ino: number }> = { '/srv/mt5': ROOT, '/srv/mt5-link': ROOT, '/srv/other': { dev: 1, ino: 200 } }
  return {
    root: ROOT, project: 'mt5', files: ['compose.yaml'], targets: ['/srv/mt5/logs', '/srv/mt5/data/redis'],
    nodeOf: (p) => nodes[p] ?? null, unusable: () => null, resolve: (p) => p.replace(/^\/srv\/mt5-link(?=\/|$)/, '/srv/mt5'), ...over
  }
}

describe('parseContainers', () => {
  test('v1: config_files relative to working_dir are made absolute; binds and named volumes are read', () => {
    expect(parseContainers([V1])).toEqual([{
      id: 'id-trading_redis_1', name: 'trading_redis_1', state: 'running', running: true, startedAt: '', health: null, exitCode: 0, image: 'redis:7', project: 'trading', service: 'redis',
      workingDir: '/srv/mt5', configFiles: ['/srv/mt5/docker-compose.prod.yml'],
      binds: [{ source: '/srv/mt5/data/redis', destination: '/data' }], volumes: ['trading_cache']
    }])
  })

  test('v2: absolute, comma-separated config_files are kept in order', () => {
    expect(parseContainers([V2])[0].configFiles).toEqual(['/srv/mt5/compose.yaml', '/srv/mt5/compose.prod.yaml'])
  })

  test.each([['running', true], ['paused', true], ['restarting', true], ['exited', false], ['created', false], ['dead', false]])('state %s: running %s', (status, running) => {
    expect(parseContainers([container('x', null, { State: { Status: status } })])[0].running).toBe(running)
  })
})

describe('reachesInto', () => {
  test.each<[string, string, boolean]>([
    ['/srv/mt5/logs', '/srv/mt5/logs', true],
    ['/srv/mt5/logs/app', '/srv/mt5/logs', true],
    ['/srv/mt5', '/srv/mt5/logs', true],
    ['/', '/srv/mt5/logs', true],
    ['/srv/mt5/logs-old', '/srv/mt5/logs', false],
    ['/srv/mt5/models', '/srv/mt5/logs', false],
    ['/srv/mt5/logs/../models', '/srv/mt5/logs', false]
  ])('%s into %s: %s', (source, target, expected) => {
    expect(reachesInto(source, target)).toBe(expected)
  })
})

describe('findEnvironment', () => {
  test("v1, started from the root under another project name: found by working_dir, files relative to the root", () => {
    expect(findEnvironment(parseContainers([V1]), probe())).toEqual({
      stacks: [expect.objectContaining({ project: 'trading', files: ['docker-compose.prod.yml'], projectDir: null, foundBy: 'running containers', filesUnusable: null })],
      writers: []
    })
  })

  test('v2: the same, with both files in order', () => {
    const env = findEnvironment(parseContainers([V2]), probe())
    expect(env.stacks).toEqual([expect.objectContaining({ project: 'mt5', files: ['compose.yaml', 'compose.prod.yaml'], projectDir: null })])
  })

  test('working_dir compared by device and inode, not by string: the root reached through a link', () => {
    const viaLink = container('a-1', { 'com.docker.compose.project': 'a', 'com.docker.compose.project.working_dir': '/srv/mt5-link', 'com.docker.compose.project.config_files': 'compose.yaml' })
    expect(findEnvironment(parseContainers([viaLink]), probe()).stacks.map((s) => s.project)).toEqual(['a'])
  })

  test("another directory's project is not ours, even under the same name, unless it mounts a target", () => {
    const other = container('b-1', { 'com.docker.compose.project': 'b', 'com.docker.compose.project.working_dir': '/srv/other', 'com.docker.compose.project.config_files': '/srv/other/compose.yaml' })
    expect(findEnvironment(parseContainers([other]), probe()).stacks).toEqual([])
    // /srv/staging/mt5 and /srv/prod/mt5 both make projects named mt5: the other one is not ours.
    const sameName = container('mt5-1', { 'com.docker.compose.project': 'mt5', 'com.docker.compose.project.working_dir': '/srv/other', 'com.docker.compose.project.config_files': '/srv/other/compose.yaml' })
    expect(findEnvironment(parseContainers([sameName]), probe()).stacks).toEqual([])
    // A working_dir this host does not have (a remote daemon): the name is all there is to go by.
    const remote = container('mt5-1', { 'com.docker.compose.project': 'mt5', 'com.docker.compose.project.working_dir': '/remote/mt5', 'com.docker.compose.project.config_files': '/remote/mt5/compose.yaml' })
    expect(findEnvironment(parseContainers([remote]), probe()).stacks).toEqual([
      expect.objectContaining({ project: 'mt5', files: ['/remote/mt5/compose.yaml'], projectDir: '/remote/mt5', foundBy: 'running containers' })
    ])
    const mounting = { ...other, Mounts: [{ Type: 'bind', Source: '/srv/mt5/logs', Destination: '/logs' }] }
    expect(findEnvironment(parseContainers([mounting]), probe()).stacks).toEqual([expect.objectContaining({ project: 'b', foundBy: 'bind mounts into targets', projectDir: '/srv/other' })])
  })

  test('a plain container writing into a target is a writer; a stopped one, or one mounting elsewhere, is not', () => {
    const plain = container('w', null, { Mounts: [{ Type: 'bind', Source: '/srv/mt5', Destination: '/env' }] })
    const stopped = container('s', null, { State: { Status: 'exited' }, Mounts: [{ Type: 'bind', Source: '/srv/mt5/logs', Destination: '/l' }] })
    const elsewhere = container('e', null, { Mounts: [{ Type: 'bind', Source: '/srv/mt5/models', Destination: '/m' }] })
    expect(findEnvironment(parseContainers([plain, stopped, elsewhere]), probe())).toEqual({
      stacks: [],
      writers: [{ name: 'w', image: 'redis:7', binds: [
        { source: '/srv/mt5', destination: '/env', target: '/srv/mt5/logs' },
        { source: '/srv/mt5', destination: '/env', target: '/srv/mt5/data/redis' }
      ] }]
    })
  })

  test('a bind mount through a link to the root reaches into its targets all the same', () => {
    const viaLink = container('l', null, { Mounts: [{ Type: 'bind', Source: '/srv/mt5-link/logs', Destination: '/l' }] })
    expect(findEnvironment(parseContainers([viaLink]), probe()).writers).toEqual([
      { name: 'l', image: 'redis:7', binds: [{ source: '/srv/mt5-link/logs', destination: '/l', target: '/srv/mt5/logs' }] }
    ])
  })

  test('files that are gone: the stack says why `down` cannot use them', () => {
    const env = findEnvironment(parseContainers([V1]), probe({ unusable: (f) => `its compose file ${f} is gone` }))
    expect(env.stacks[0].filesUnusable).toBe('its compose file /srv/mt5/docker-compose.prod.yml is gone')
  })

  test('containers without config_files (started by hand with Compose labels): stopped by label', () => {
    const bare = container('c', { 'com.docker.compose.project': 'c', 'com.docker.compose.project.working_dir': '/srv/mt5' })
    expect(findEnvironment(parseContainers([bare]), probe()).stacks[0]).toMatchObject({ files: [], filesUnusable: 'its containers do not name their compose files' })
  })
})
