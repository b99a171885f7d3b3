/**
 * The only module that runs docker. Commands are built as data ({command, args}) by pure
 * functions and run through one Runner with a timeout. Volumes are found by Compose's project
 * label, never by guessed names; `down` never gets `-v` (that would also remove volumes the
 * project merely adopted); each removable volume is removed by name after the stack is down.
 */
import type { Command, CommandResult, Runner } from './exec.js'
import { describe } from './exec.js'
import type { DockerMode } from './settings.js'

export const PROJECT_LABEL = 'com.docker.compose.project'
export const VOLUME_LABEL = 'com.docker.compose.volume'

export interface ComposeTarget {
  root: string
  mode: DockerMode
  full: boolean
  files: readonly string[]
  project: string
  protectedVolumes: readonly string[]
  external: { keys: ReadonlySet<string>; names: ReadonlySet<string> }
  dockerHost: string
  timeoutMs: number
  /** The environment docker runs with (HOME/DOCKER_CONFIG find the compose plugin); default process.env. */
  env?: NodeJS.ProcessEnv
}

/**
 * How long past its timeout a command may take before Compose gives up on it: the runner kills
 * the command at the timeout, but a child it left behind (a compose plugin under `docker`) can
 * hold the output pipes open, and the run must not hang on it.
 */
export const TIMEOUT_GRACE_MS = 3000

export interface VolumeDecision {
  name: string
  key: string
  action: 'remove' | 'keep'
  reason: string
}

export interface DockerState {
  mode: DockerMode
  /** True when docker will be used for this run. */
  active: boolean
  /** Why docker is not used (auto mode), for the log and the summary. */
  skipped?: string
  compose?: { command: string[]; version: 'v2' | 'v1' }
  files: string[]
  project: string
  containers: string[]
  volumes: VolumeDecision[]
  stopped: boolean
  removedVolumes: string[]
  errors: string[]
  verification?: { ok: boolean; problems: string[] }
}

// ---- commands as data -------------------------------------------------------------------------

export const dockerServerVersion = (): Command => ({ command: 'docker', args: ['version', '--format', '{{.Server.Version}}'] })
export const composeV2Version = (): Command => ({ command: 'docker', args: ['compose', 'version'] })
export const composeV1Version = (): Command => ({ command: 'docker-compose', args: ['version'] })
export const listContainers = (project: string): Command => ({
  command: 'docker',
  args: ['ps', '-a', '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{.Names}}']
})
export const listVolumes = (project: string): Command => ({
  command: 'docker',
  args: ['volume', 'ls', '-q', '--filter', `label=${PROJECT_LABEL}=${project}`]
})
export const inspectVolumes = (names: readonly string[]): Command => ({ command: 'docker', args: ['volume', 'inspect', ...names] })
export const removeVolume = (name: string): Command => ({ command: 'docker', args: ['volume', 'rm', name] })
export function composeDown(base: readonly string[], files: readonly string[], project: string): Command {
  const [command, ...pre] = base
  return { command, args: [...pre, ...files.flatMap((f) => ['-f', f]), '-p', project, 'down', '--remove-orphans'] }
}

/** Which of the project's labelled volumes `full` removes, and why the others stay. */
export function decideVolumes(
  inspected: readonly { Name: string; Labels?: Record<string, string> | null }[],
  t: Pick<ComposeTarget, 'project' | 'protectedVolumes' | 'external' | 'full'>
): VolumeDecision[] {
  return inspected.map((v) => {
    const labels = v.Labels ?? {}
    const key = labels[VOLUME_LABEL] ?? v.Name
    const keep = (reason: string): VolumeDecision => ({ name: v.Name, key, action: 'keep', reason })
    if (labels[PROJECT_LABEL] !== t.project) return keep(`labelled for project ${JSON.stringify(labels[PROJECT_LABEL] ?? '')}`)
    if (t.external.names.has(v.Name) || t.external.keys.has(key)) return keep('external')
    if (t.protectedVolumes.includes(key) || t.protectedVolumes.includes(v.Name)) return keep('protected-volumes')
    if (!t.full) return keep('full is off')
    return { name: v.Name, key, action: 'remove', reason: 'project volume' }
  })
}

function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '')
}

// ---- running them -----------------------------------------------------------------------------

export class Compose {
  constructor(
    private readonly t: ComposeTarget,
    private readonly runner: Runner,
    private readonly trace: (line: string) => void = () => {}
  ) {}

  private async run(cmd: Command): Promise<CommandResult> {
    this.trace(`$ ${describe(cmd)}`)
    const base = this.t.env ?? process.env
    const env = this.t.dockerHost ? { ...base, DOCKER_HOST: this.t.dockerHost } : base
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<CommandResult>((resolve) => {
      timer = setTimeout(() => resolve({ exitCode: null, stdout: '', stderr: '', timedOut: true }), this.t.timeoutMs + TIMEOUT_GRACE_MS)
    })
    try {
      return await Promise.race([this.runner(cmd, { timeoutMs: this.t.timeoutMs, env, cwd: this.t.root }), deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Runs `cmd` and returns stdout, or throws an error naming the command and its stderr. */
  private async must(cmd: Command): Promise<string> {
    const r = await this.run(cmd)
    if (r.exitCode === 0 && !r.timedOut) return r.stdout
    throw new Error(failureText(cmd, r, this.t.timeoutMs))
  }

  /** Read-only: is docker usable, what runs, which volumes `full` would remove. */
  async discover(): Promise<DockerState> {
    const s: DockerState = {
      mode: this.t.mode, active: false, files: [...this.t.files], project: this.t.project,
      containers: [], volumes: [], stopped: false, removedVolumes: [], errors: []
    }
    if (this.t.mode === 'off') return { ...s, skipped: 'docker: off' }
    const unusable = (why: string): DockerState => {
      if (this.t.mode === 'required') throw Object.assign(new Error(`docker is required but ${why}: fix docker or set docker: auto/off`), { code: 'ERR_DOCKER_REQUIRED' })
      return { ...s, skipped: why }
    }
    if (this.t.files.length === 0) return unusable('no compose file was found in root (compose.yaml, docker-compose.yml, ...; or set compose-file)')
    const server = await this.run(dockerServerVersion())
    if (server.exitCode !== 0 || server.timedOut) {
      return unusable(`the docker daemon cannot be reached (${failureText(dockerServerVersion(), server, this.t.timeoutMs)})`)
    }
    const v2 = await this.run(composeV2Version())
    if (v2.exitCode === 0 && !v2.timedOut) {
      s.compose = { command: ['docker', 'compose'], version: 'v2' }
    } else {
      const v1 = await this.run(composeV1Version())
      if (v1.exitCode !== 0 || v1.timedOut) return unusable('neither "docker compose" (v2) nor "docker-compose" (v1) is installed')
      s.compose = { command: ['docker-compose'], version: 'v1' }
    }
    s.active = true
    s.containers = lines(await this.must(listContainers(this.t.project)))
    const names = lines(await this.must(listVolumes(this.t.project)))
    if (names.length > 0) {
      const inspected = JSON.parse(await this.must(inspectVolumes(names))) as { Name: string; Labels?: Record<string, string> }[]
      s.volumes = decideVolumes(inspected, this.t)
    }
    return s
  }

  /** `compose down`; throws (the caller deletes nothing then) when it fails. */
  async stop(s: DockerState): Promise<void> {
    if (!s.active || !s.compose) return
    await this.must(composeDown(s.compose.command, s.files, s.project))
    s.stopped = true
  }

  /** Removes the volumes decided `remove`; each failure (e.g. in use) is an error, not a warning. */
  async removeVolumes(s: DockerState): Promise<void> {
    for (const v of s.volumes.filter((x) => x.action === 'remove')) {
      try {
        await this.must(removeVolume(v.name))
        s.removedVolumes.push(v.name)
      } catch (err) {
        s.errors.push((err as Error).message)
      }
    }
  }

  /** After the purge: no container of the project remains, every volume reported removed is gone. */
  async verify(s: DockerState): Promise<void> {
    if (!s.active || !s.stopped) return
    const problems: string[] = []
    try {
      const left = lines(await this.must(listContainers(s.project)))
      if (left.length > 0) problems.push(`containers of project ${s.project} still exist: ${left.join(', ')}`)
      if (s.removedVolumes.length > 0) {
        const still = new Set(lines(await this.must({ command: 'docker', args: ['volume', 'ls', '-q'] })))
        for (const v of s.removedVolumes) if (still.has(v)) problems.push(`volume ${v} still exists`)
      }
    } catch (err) {
      problems.push((err as Error).message)
    }
    s.verification = { ok: problems.length === 0, problems }
  }
}

export function failureText(cmd: Command, r: CommandResult, timeoutMs: number): string {
  const what = describe(cmd)
  if (r.spawnError) return `${what} could not start (${r.spawnError}${r.spawnError === 'ENOENT' ? `: is ${cmd.command} installed and on PATH?` : ''})`
  if (r.timedOut) return `${what} timed out after ${Number((timeoutMs / 1000).toFixed(1))} s (raise docker-timeout)`
  const err = lines(r.stderr).slice(-3).join(' | ') || lines(r.stdout).slice(-1).join('')
  return `${what} exited ${r.exitCode}${err ? `: ${err}` : ''}`
}
