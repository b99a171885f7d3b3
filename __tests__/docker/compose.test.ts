import fs from 'node:fs'
import { failureText } from '../../src/docker/exec.js'
import path from 'node:path'
import { TIMEOUT_GRACE_MS } from '../../src/docker/cli.js'
import { Compose } from '../../src/docker/compose.js'
import type { ComposeTarget, DockerState, StackState } from '../../src/docker/state.js'
import {
  composeDown,
  composeV1Version,
  composeV2Version,
  dockerServerVersion,
  inspectVolumes,
  listAllVolumes,
  listContainers,
  listVolumes,
  removeVolume,
  splitByState
} from '../../src/docker/commands.js'
import { PROJECT_LABEL, VOLUME_LABEL, declaredNames, decideVolumes } from '../../src/docker/volumes.js'
import { runCommand, type Command, type CommandResult, type ExecOptions } from '../../src/docker/exec.js'
import { removeDir, tempDir } from '../helpers/tree.js'

describe('command builders: {command, args} as data', () => {
  test.each<[string, Command, Command]>([
    ['server version', dockerServerVersion(), { command: 'docker', args: ['version', '--format', '{{.Server.Version}}'] }],
    ['compose v2 version', composeV2Version(), { command: 'docker', args: ['compose', 'version'] }],
    ['compose v1 version', composeV1Version(), { command: 'docker-compose', args: ['version'] }],
    ['list containers', listContainers('mt5'), { command: 'docker', args: ['ps', '-a', '--filter', 'label=com.docker.compose.project=mt5', '--format', '{{.Names}}\t{{.State}}'] }],
    ['list volumes', listVolumes('mt5'), { command: 'docker', args: ['volume', 'ls', '-q', '--filter', 'label=com.docker.compose.project=mt5'] }],
    ['list all volumes', listAllVolumes(), { command: 'docker', args: ['volume', 'ls', '-q'] }],
    ['inspect one volume', inspectVolumes(['mt5_redis_data']), { command: 'docker', args: ['volume', 'inspect', 'mt5_redis_data'] }],
    ['inspect several volumes', inspectVolumes(['a', 'b', 'c']), { command: 'docker', args: ['volume', 'inspect', 'a', 'b', 'c'] }],
    ['remove a volume', removeVolume('mt5_redis_data'), { command: 'docker', args: ['volume', 'rm', 'mt5_redis_data'] }],
    // A hostile name stays one argument: there is no shell to split or expand it.
    ['remove an odd name', removeVolume('x; rm -rf /'), { command: 'docker', args: ['volume', 'rm', 'x; rm -rf /'] }],
    [
      'down, v2, one file',
      composeDown(['docker', 'compose'], ['compose.yaml'], 'mt5'),
      { command: 'docker', args: ['compose', '-f', 'compose.yaml', '-p', 'mt5', 'down', '--remove-orphans'] }
    ],
    [
      'down, v1, several files in order',
      composeDown(['docker-compose'], ['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml'], 'mt5'),
      {
        command: 'docker-compose',
        args: ['-f', 'docker-compose.yml', '-f', 'docker-compose.override.yml', '-f', 'docker-compose.prod.yml', '-p', 'mt5', 'down', '--remove-orphans']
      }
    ],
    [
      'down, v2, files in folders',
      composeDown(['docker', 'compose'], ['deploy/base.yml', 'deploy/prod.yml'], 'p_1'),
      { command: 'docker', args: ['compose', '-f', 'deploy/base.yml', '-f', 'deploy/prod.yml', '-p', 'p_1', 'down', '--remove-orphans'] }
    ]
  ])('%s', (_, got, expected) => {
    expect(got).toEqual(expected)
  })

  test.each([
    [['docker', 'compose'], ['a.yml']],
    [['docker-compose'], ['a.yml', 'b.yml']]
  ])('down never removes volumes (%j)', (base, files) => {
    const { args } = composeDown(base, files, 'p')
    for (const flag of ['-v', '--volumes', '--rmi']) expect(args).not.toContain(flag)
  })
})

describe('decideVolumes: only a volume labelled for this project is removed', () => {
  const external = { keys: new Set(['shared']), names: new Set(['company_cache']), byKey: new Map<string, string | null>() }
  const target = { project: 'mt5', protectedVolumes: ['postgres_data', 'mt5_pinned'], external, full: true }
  const declared = new Map([['mt5_redis_data', 'redis_data'], ['company_cache', 'cache']])
  const vol = (name: string, project: string | null, key?: string): { Name: string; Labels: Record<string, string> | null } => ({
    Name: name,
    Labels: project === null ? null : { [PROJECT_LABEL]: project, ...(key ? { [VOLUME_LABEL]: key } : {}) }
  })

  test.each<[string, ReturnType<typeof vol>, Partial<typeof target>, string, string, string]>([
    ['a project volume is removed', vol('mt5_redis_data', 'mt5', 'redis_data'), {}, 'remove', 'redis_data', 'project volume'],
    ['another project label is kept', vol('mt5_redis_data', 'other', 'redis_data'), {}, 'keep', 'redis_data', 'labelled for project "other"'],
    // A look-alike Compose adopted: the declared key comes from its name.
    ['no labels at all is kept', vol('mt5_redis_data', null), {}, 'keep', 'redis_data', 'not created by Compose (no project label)'],
    ['labels without the project label are kept', { Name: 'loose', Labels: { owner: 'ops' } }, {}, 'keep', 'loose', 'not created by Compose (no project label)'],
    ['external by key', vol('mt5_shared', 'mt5', 'shared'), {}, 'keep', 'shared', 'external'],
    ['external by name', vol('company_cache', 'mt5', 'cache'), {}, 'keep', 'cache', 'external'],
    // `docker volume create` makes external volumes: no labels; the reason is still "external".
    ['external by name, unlabelled', vol('company_cache', null), {}, 'keep', 'cache', 'external'],
    ['external by name, labelled for another project', vol('company_cache', 'other', 'cache'), {}, 'keep', 'cache', 'external'],
    ['protected-volumes by key', vol('mt5_postgres_data', 'mt5', 'postgres_data'), {}, 'keep', 'postgres_data', 'protected-volumes'],
    ['protected-volumes by name', vol('mt5_pinned', 'mt5', 'pinned'), {}, 'keep', 'pinned', 'protected-volumes'],
    ['no volume label: the key is the name', vol('mt5_bare', 'mt5'), {}, 'remove', 'mt5_bare', 'project volume'],
    ['full off keeps a removable volume', vol('mt5_redis_data', 'mt5', 'redis_data'), { full: false }, 'keep', 'redis_data', 'full is off'],
    // The stronger reasons are reported even when full is off.
    ['full off, external still says external', vol('mt5_shared', 'mt5', 'shared'), { full: false }, 'keep', 'shared', 'external'],
    ['full off, protected still says protected', vol('mt5_postgres_data', 'mt5', 'postgres_data'), { full: false }, 'keep', 'postgres_data', 'protected-volumes']
  ])('%s', (_, v, over, action, key, reason) => {
    const [d] = decideVolumes([v], { ...target, ...over }, declared)
    expect(d).toEqual({ name: v.Name, key, action, reason })
  })

  test('one decision per volume, in order', () => {
    const got = decideVolumes([vol('mt5_a', 'mt5', 'a'), vol('mt5_postgres_data', 'mt5', 'postgres_data'), vol('mt5_b', 'mt5', 'b')], target)
    expect(got.map((d) => [d.name, d.action])).toEqual([
      ['mt5_a', 'remove'],
      ['mt5_postgres_data', 'keep'],
      ['mt5_b', 'remove']
    ])
  })
})

describe('declaredNames: the volume name of each declared key', () => {
  test('<project>_<key>, a name: given, and external names', () => {
    const byKey = new Map<string, string | null>([['redis_data', null], ['custom', 'my_custom'], ['shared', 'company_cache']])
    const got = declaredNames({ project: 'mt5', external: { keys: new Set(['shared']), names: new Set(['company_cache']), byKey } })
    expect([...got]).toEqual([['mt5_redis_data', 'redis_data'], ['my_custom', 'custom'], ['company_cache', 'shared']])
  })
})

describe('splitByState: what `down` stops and what it only removes', () => {
  test.each<[string[], string[], string[]]>([
    [[], [], []],
    [['a\trunning', 'b\texited', 'c\tcreated'], ['a'], ['b', 'c']],
    [['p\tpaused', 'r\trestarting', 'd\tdead'], ['p', 'r'], ['d']],
    // No state column (an older docker): never claimed to be running.
    [['bare'], [], ['bare']]
  ])('%j', (ps, running, exited) => {
    expect(splitByState(ps)).toEqual({ running, exited })
  })
})

describe('failureText: one line naming the command and what went wrong', () => {
  const cmd = removeVolume('mt5_redis_data')
  const res = (r: Partial<CommandResult>): CommandResult => ({ exitCode: null, stdout: '', stderr: '', timedOut: false, ...r })

  test.each<[string, CommandResult, number, string]>([
    ['timeout', res({ timedOut: true }), 120000, 'docker volume rm mt5_redis_data timed out after 120 s (raise docker-timeout)'],
    [
      'timeout keeps the last stderr lines',
      res({ timedOut: true, stderr: 'one\ntwo\nthree\nfour\n' }),
      1000,
      'docker volume rm mt5_redis_data timed out after 1 s (raise docker-timeout); last output: two | three | four'
    ],
    ['timeout without stderr: the last stdout line', res({ timedOut: true, stdout: 'a\nb\n' }), 1000, 'docker volume rm mt5_redis_data timed out after 1 s (raise docker-timeout); last output: b'],
    // Compose v2 draws progress with escape sequences and carriage returns.
    [
      'escape sequences are dropped',
      res({ exitCode: 1, stderr: '\x1b[1A\x1b[2K[+] Running 1/2\r\x1b[32mContainer x\x1b[0m  Stopping\x07\n' }),
      1000,
      'docker volume rm mt5_redis_data exited 1: [+] Running 1/2 | Container x  Stopping'
    ],
    ['sub-second timeout is not "0 s"', res({ timedOut: true }), 500, 'docker volume rm mt5_redis_data timed out after 0.5 s (raise docker-timeout)'],
    ['spawn error', res({ spawnError: 'EACCES' }), 1000, 'docker volume rm mt5_redis_data could not start (EACCES)'],
    ['not installed', res({ spawnError: 'ENOENT' }), 1000, 'docker volume rm mt5_redis_data could not start (ENOENT: is docker installed and on PATH?)'],
    [
      'exit code with stderr',
      res({ exitCode: 1, stderr: 'Error response from daemon: remove mt5_redis_data: volume is in use - [abc]\n' }),
      1000,
      'docker volume rm mt5_redis_data exited 1: Error response from daemon: remove mt5_redis_data: volume is in use - [abc]'
    ],
    ['only the last 3 stderr lines', res({ exitCode: 2, stderr: 'a\nb\n\nc\nd\n' }), 1000, 'docker volume rm mt5_redis_data exited 2: b | c | d'],
    ['no stderr: last stdout line', res({ exitCode: 3, stdout: 'x\nlast\n' }), 1000, 'docker volume rm mt5_redis_data exited 3: last'],
    ['nothing said', res({ exitCode: 4 }), 1000, 'docker volume rm mt5_redis_data exited 4']
  ])('%s', (_, r, timeoutMs, expected) => {
    expect(failureText(cmd, r, timeoutMs)).toBe(expected)
  })

  test('arguments with spaces are quoted', () => {
    expect(failureText(removeVolume('a b'), res({ exitCode: 1 }), 1000)).toBe('docker volume rm "a b" exited 1')
  })
})

function target(over: Partial<ComposeTarget> = {}): ComposeTarget {
  return {
    root: '/srv/mt5', mode: 'auto', full: false, files: ['compose.yaml'], project: 'mt5', protectedVolumes: [],
    external: { keys: new Set(), names: new Set(), byKey: new Map() }, dockerHost: '', timeoutMs: 5000, ...over
  }
}

/** The stack the root's files describe, with nothing running (what `discover` finds then). */
function filesStack(over: Partial<StackState> = {}): StackState {
  return {
    project: 'mt5', files: ['compose.yaml'], workingDir: '/srv/mt5', projectDir: null, foundBy: 'files', stoppedBy: 'compose down', filesUnusable: null,
    containers: [], exited: [], ids: [], stopped: false, ...over
  }
}

function state(over: Partial<DockerState> = {}): DockerState {
  return {
    mode: 'auto', active: true, compose: { command: ['docker', 'compose'], version: 'v2' }, stacks: [filesStack()], writers: [],
    files: ['compose.yaml'], project: 'mt5', containers: [], exited: [], volumes: [], stopped: false, removedVolumes: [], errors: [], warnings: [], ...over
  }
}

/** What discover is told of the run: a root no container runs from, no targets. */
const INPUT = { root: { path: '/srv/mt5', dev: -1, ino: -1 }, targets: [], keepRunning: false, services: [] }

/** A runner that records each call and answers exit 0 with no output. */
function recorder(): { calls: Command[]; runner: (cmd: Command) => Promise<CommandResult> } {
  const calls: Command[] = []
  return { calls, runner: async (cmd) => (calls.push(cmd), { exitCode: 0, stdout: '', stderr: '', timedOut: false }) }
}

describe('Compose: how commands are run', () => {
  test('each command gets the timeout, root as cwd, the target env and DOCKER_HOST', async () => {
    const calls: { cmd: Command; opts: ExecOptions }[] = []
    const runner = async (cmd: Command, opts: ExecOptions): Promise<CommandResult> => {
      calls.push({ cmd, opts })
      return { exitCode: 0, stdout: '', stderr: '', timedOut: false }
    }
    const traced: string[] = []
    const c = new Compose(target({ dockerHost: 'ssh://deploy@host', env: { HOME: '/h', PATH: '/p' } }), runner, (l) => traced.push(l))
    await c.stop(state())
    expect(calls).toHaveLength(1)
    const { onOutput, ...opts } = calls[0].opts
    expect(opts).toEqual({ timeoutMs: 5000, cwd: '/srv/mt5', env: { HOME: '/h', PATH: '/p', DOCKER_HOST: 'ssh://deploy@host' } })
    expect(typeof onOutput).toBe('function')
    expect(traced).toEqual(['$ docker compose -f compose.yaml -p mt5 down --remove-orphans'])
  })

  test('without docker-host the environment is passed as is', async () => {
    let seen: NodeJS.ProcessEnv | undefined
    const env = { HOME: '/h', DOCKER_HOST: 'unix:///own.sock' }
    const c = new Compose(target({ env }), async (_cmd, opts) => {
      seen = opts.env
      return { exitCode: 0, stdout: '', stderr: '', timedOut: false }
    })
    await c.stop(state())
    expect(seen).toEqual(env)
  })

  test('docker: off: skipped without running anything', async () => {
    const { calls, runner } = recorder()
    const s = await new Compose(target({ mode: 'off' }), runner).discover(INPUT)
    expect(calls).toEqual([])
    expect(s.active).toBe(false)
    expect(s.skipped).toBe('docker: off')
  })

  // A container started elsewhere may still write into the targets: the daemon is asked first.
  test('auto without a compose file, nothing running from root: skipped after asking the daemon', async () => {
    const { calls, runner } = recorder()
    const s = await new Compose(target({ files: [] }), runner).discover(INPUT)
    expect(calls.map((c) => [c.command, ...c.args].join(' '))).toEqual(['docker version --format {{.Server.Version}}', 'docker ps -aq --no-trunc'])
    expect(s.active).toBe(false)
    expect(s.skipped).toContain('no compose file was found in root')
  })

  test('required without a compose file and nothing running: ERR_DOCKER_REQUIRED, nothing stopped', async () => {
    const { calls, runner } = recorder()
    await expect(new Compose(target({ mode: 'required', files: [] }), runner).discover(INPUT)).rejects.toMatchObject({ code: 'ERR_DOCKER_REQUIRED' })
    expect(calls.map((c) => c.args[0])).toEqual(['version', 'ps'])
  })

  test('stop does nothing when docker is not in use', async () => {
    const { calls, runner } = recorder()
    const s = state({ active: false, compose: undefined })
    await new Compose(target(), runner).stop(s)
    expect(calls).toEqual([])
    expect(s.stopped).toBe(false)
  })
})

// ---- timeouts: a hung docker is the one fault a real daemon cannot produce on demand -----------

describe('timeouts: a hung docker never holds the run', () => {
  let base: string
  let pidFile: string
  /** PATH with a `docker` that hangs itself (killed at the timeout). */
  let direct: NodeJS.ProcessEnv
  /**
   * PATH with a `docker` that hangs in a grandchild holding the output pipes, as a compose plugin
   * under the docker CLI does: killing `docker` does not end it.
   */
  let grandchild: NodeJS.ProcessEnv
  /** PATH with a `docker` whose daemon answers but whose compose plugin hangs, and a working `docker-compose`. */
  let v2hangs: NodeJS.ProcessEnv
  /** What the fakes print to stderr before they hang: the errors must carry it. */
  const SAID = 'waiting for the daemon at /var/run/docker.sock'
  const TIMEOUT = 500
  /** Room for a loaded CI machine; the fakes hang for 30 s, so a missed timeout still fails. */
  const SLACK = 4000

  beforeAll(() => {
    base = tempDir('sp-fake-docker-')
    pidFile = path.join(base, 'pids')
    const script = (dir: string, body: string, name = 'docker'): string => {
      fs.mkdirSync(path.join(base, dir), { recursive: true })
      fs.writeFileSync(path.join(base, dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 })
      return path.join(base, dir)
    }
    const envWith = (dir: string): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, SP_PIDS: pidFile })
    direct = envWith(script('direct', `echo "$$" >> "$SP_PIDS"\necho '${SAID}' >&2\nexec sleep 30`))
    grandchild = envWith(script('grandchild', `echo '${SAID}' >&2\nsleep 30 &\necho "$!" >> "$SP_PIDS"\nwait`))
    // `docker version` answers, `docker compose ...` hangs, every other docker call says nothing.
    script('v2hangs', 'echo "docker-compose version 1.29.2"', 'docker-compose')
    v2hangs = envWith(
      script('v2hangs', `case "$1" in\n  version) echo 20.10.24 ;;\n  compose) echo "$$" >> "$SP_PIDS"; echo 'loading plugin' >&2; exec sleep 30 ;;\nesac`)
    )
  })

  afterAll(() => {
    // End the sleeps these tests started, by pid.
    const pids = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : []
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    removeDir(base)
  })

  /** `p`, or 'still running' when it has not settled within `ms`. */
  async function within<T>(p: Promise<T>, ms: number): Promise<T | 'still running'> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)))
    try {
      return await Promise.race([p, late])
    } finally {
      clearTimeout(timer)
    }
  }

  test('runCommand kills a hung command at the timeout', async () => {
    const t0 = Date.now()
    const r = await within(runCommand({ command: 'docker', args: ['version'] }, { timeoutMs: TIMEOUT, env: direct }), TIMEOUT + SLACK + 1000)
    expect(r).toMatchObject({ timedOut: true, exitCode: null })
    expect(Date.now() - t0).toBeLessThan(TIMEOUT + SLACK)
  })

  // runCommand must not wait for 'close' alone: a grandchild holding the output pipes would keep
  // it pending until the grandchild ends (here 30 s; a hung compose plugin: forever).
  test('runCommand returns at the timeout even when a grandchild holds the pipes', async () => {
    const r = await within(runCommand({ command: 'docker', args: ['version'] }, { timeoutMs: TIMEOUT, env: grandchild }), TIMEOUT + TIMEOUT_GRACE_MS + SLACK)
    expect(r).toMatchObject({ timedOut: true })
  })

  test('Compose.discover (auto), no compose file: a hung docker is skipped with "timed out" and the command', async () => {
    const t0 = Date.now()
    const s = await new Compose(target({ root: base, timeoutMs: TIMEOUT, env: direct, files: [] }), runCommand).discover(INPUT)
    expect(Date.now() - t0).toBeLessThan(TIMEOUT + SLACK)
    expect(s.active).toBe(false)
    expect(s.skipped).toBe(
      `the docker daemon cannot be reached (docker version --format "{{.Server.Version}}" timed out after 0.5 s (raise docker-timeout); last output: ${SAID})`
    )
  })

  // Its stack may be running: purging under it could race its writes.
  test('Compose.discover (auto), a compose file in root: a hung docker refuses the run (ERR_DOCKER_UNCHECKED), naming docker: off', async () => {
    const p = new Compose(target({ root: base, timeoutMs: TIMEOUT, env: direct }), runCommand).discover(INPUT)
    await expect(p).rejects.toMatchObject({
      code: 'ERR_DOCKER_UNCHECKED',
      message: expect.stringMatching(/^refusing to purge: the docker daemon cannot be reached \(docker version .* timed out .*\), and root has a compose file \(compose\.yaml\) whose stack may be running: .*set docker to off to purge without stopping anything$/)
    })
  })

  test('Compose.discover (required): the timeout is ERR_DOCKER_REQUIRED, before anything else runs', async () => {
    const p = new Compose(target({ mode: 'required', root: base, timeoutMs: TIMEOUT, env: direct }), runCommand).discover(INPUT)
    await expect(p).rejects.toMatchObject({
      code: 'ERR_DOCKER_REQUIRED',
      message: expect.stringContaining(`docker version --format "{{.Server.Version}}" timed out after 0.5 s (raise docker-timeout); last output: ${SAID}`)
    })
  })

  test('Compose.stop: a hung `down` throws "timed out" with the command; the stack is not marked stopped', async () => {
    const s = state()
    const t0 = Date.now()
    await expect(new Compose(target({ root: base, timeoutMs: TIMEOUT, env: direct }), runCommand).stop(s)).rejects.toThrow(
      `docker compose -f compose.yaml -p mt5 down --remove-orphans timed out after 0.5 s (raise docker-timeout); last output: ${SAID}`
    )
    expect(Date.now() - t0).toBeLessThan(TIMEOUT + SLACK)
    expect(s.stopped).toBe(false)
  })

  test('Compose.stop: a grandchild holding the pipes still ends at timeout + grace', async () => {
    const s = state()
    const t0 = Date.now()
    const p = new Compose(target({ root: base, timeoutMs: TIMEOUT, env: grandchild }), runCommand).stop(s)
    await expect(within(p, TIMEOUT + TIMEOUT_GRACE_MS + SLACK + 1000)).rejects.toThrow(`down --remove-orphans timed out after 0.5 s (raise docker-timeout); last output: ${SAID}`)
    expect(Date.now() - t0).toBeLessThan(TIMEOUT + TIMEOUT_GRACE_MS + 1000)
    expect(s.stopped).toBe(false)
  })

  // A runner that never settles (an unkillable child): Compose gives up at timeout + grace and
  // still reports what the command had said.
  test('Compose: the grace deadline keeps the partial stderr', async () => {
    const stuck = (_cmd: Command, opts: ExecOptions): Promise<CommandResult> => {
      opts.onOutput?.('stderr', 'Container mt5-db-1  Stopping\n')
      return new Promise(() => {})
    }
    const t0 = Date.now()
    await expect(new Compose(target({ timeoutMs: 100 }), stuck).stop(state())).rejects.toThrow(
      'docker compose -f compose.yaml -p mt5 down --remove-orphans timed out after 0.1 s (raise docker-timeout); last output: Container mt5-db-1  Stopping'
    )
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100 + TIMEOUT_GRACE_MS - 50)
  })

  test('Compose.discover (auto): a hung v2 plugin is a warning naming the hang, and v1 stops the stack', async () => {
    const traced: string[] = []
    const s = await new Compose(target({ root: base, timeoutMs: TIMEOUT, env: v2hangs }), runCommand, (l) => traced.push(l)).discover(INPUT)
    expect(s).toMatchObject({ active: true, compose: { command: ['docker-compose'], version: 'v1' } })
    const hang = '"docker compose" (v2) hangs: docker compose version timed out after 0.5 s (raise docker-timeout); last output: loading plugin'
    expect(s.warnings).toEqual([`${hang}; using docker-compose (v1) instead if it is installed`])
    // run() logs DockerState.warnings (once); the trace only lists the commands.
    expect(traced.filter((l) => !l.startsWith('$ '))).toEqual([])
  })

  test('Compose.discover (required): a hung v2 plugin is ERR_DOCKER_REQUIRED; v1 is not tried', async () => {
    const traced: string[] = []
    const p = new Compose(target({ mode: 'required', root: base, timeoutMs: TIMEOUT, env: v2hangs }), runCommand, (l) => traced.push(l)).discover(INPUT)
    await expect(p).rejects.toMatchObject({
      code: 'ERR_DOCKER_REQUIRED',
      message: expect.stringMatching(/^docker is required but "docker compose" \(v2\) hangs: docker compose version timed out .*loading plugin: fix or remove the compose plugin/)
    })
    expect(traced.some((l) => l.startsWith('$ docker-compose'))).toBe(false)
  })

  test('Compose.discover: a v2 that is just absent falls back to v1 without a warning', async () => {
    const answers: Record<string, CommandResult> = {
      'docker compose version': { exitCode: 1, stdout: '', stderr: "docker: 'compose' is not a docker command.\n", timedOut: false }
    }
    const runner = async (cmd: Command): Promise<CommandResult> => answers[[cmd.command, ...cmd.args].join(' ')] ?? { exitCode: 0, stdout: '', stderr: '', timedOut: false }
    const s = await new Compose(target({ mode: 'required' }), runner).discover(INPUT)
    expect(s).toMatchObject({ active: true, compose: { version: 'v1' }, warnings: [] })
  })
})
