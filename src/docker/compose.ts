/**
 * Runs docker for a run: is it usable, what runs, stop the stack, remove the volumes `full`
 * removes, and check afterwards. The commands are data (commands.ts) run through one Runner with
 * a timeout (exec.ts); which project this is comes from project.ts. Volumes are removed only when they carry
 * this project's label, never by guessed names; `down` never gets `-v` (Compose v1 then also
 * removes look-alikes it adopted, even ones labelled for another project); each removable volume
 * is removed by name after the stack is down. Volumes named like the files' declarations but
 * without the label (external ones, adopted look-alikes) are inspected only, to report them kept.
 */
import type { Command, CommandResult, Runner } from './exec.js'
import { describe, failureText } from './exec.js'
import {
  composeDown, composeV1Version, composeV2Version, dockerServerVersion, inspectVolumes, lines, listAllVolumes,
  listContainers, listVolumes, removeVolume, splitByState
} from './commands.js'
import { declaredNames, decideVolumes, type VolumeDecision, type VolumeRules } from './volumes.js'
import { ACTION_NAMES, type DockerMode, type OptionName, type OptionNames } from '../common/options.js'

/** The project to act on (project.ts resolves it) and how to run docker for it. */
export interface ComposeTarget extends VolumeRules {
  root: string
  mode: DockerMode
  files: readonly string[]
  dockerHost: string
  timeoutMs: number
  /** The environment docker runs with (HOME/DOCKER_CONFIG find the compose plugin); default process.env. */
  env?: NodeJS.ProcessEnv
  /** How errors name the options (the action's inputs by default). */
  names?: OptionNames
}

/**
 * How long past its timeout a command may take before Compose gives up on it: the runner kills
 * the command at the timeout, but a child it left behind (a compose plugin under `docker`) can
 * hold the output pipes open, and the run must not hang on it.
 */
export const TIMEOUT_GRACE_MS = 3000

export interface DockerState {
  mode: DockerMode
  /** True when docker will be used for this run. */
  active: boolean
  /** Why docker is not used (auto mode), for the log and the summary. */
  skipped?: string
  compose?: { command: string[]; version: 'v2' | 'v1' }
  files: string[]
  project: string
  /** Running (or paused, restarting) containers of the project: `down` stops and removes them. */
  containers: string[]
  /** Its containers that are not running (exited, created, dead): `down` only removes them. */
  exited: string[]
  volumes: VolumeDecision[]
  stopped: boolean
  removedVolumes: string[]
  errors: string[]
  /** Things the operator should know that do not fail the run (e.g. a hung compose plugin). */
  warnings: string[]
  verification?: { ok: boolean; problems: string[] }
}

const ok = (r: CommandResult): boolean => r.exitCode === 0 && !r.timedOut

export class Compose {
  constructor(
    private readonly t: ComposeTarget,
    private readonly runner: Runner,
    private readonly trace: (line: string) => void = () => {}
  ) {}

  private name(key: OptionName): string {
    return (this.t.names ?? ACTION_NAMES)(key)
  }

  private async run(cmd: Command): Promise<CommandResult> {
    this.trace(`$ ${describe(cmd)}`)
    const base = this.t.env ?? process.env
    const env = this.t.dockerHost ? { ...base, DOCKER_HOST: this.t.dockerHost } : base
    // What the command said so far, for the error when the deadline gives up on it.
    const said = { stdout: '', stderr: '' }
    const onOutput = (stream: 'stdout' | 'stderr', text: string): void => {
      said[stream] = (said[stream] + text).slice(-64 * 1024)
    }
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<CommandResult>((resolve) => {
      timer = setTimeout(() => resolve({ exitCode: null, ...said, timedOut: true }), this.t.timeoutMs + TIMEOUT_GRACE_MS)
    })
    try {
      return await Promise.race([this.runner(cmd, { timeoutMs: this.t.timeoutMs, env, cwd: this.t.root, onOutput }), deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Runs `cmd` and returns stdout, or throws an error naming the command and its stderr. */
  private async must(cmd: Command): Promise<string> {
    const r = await this.run(cmd)
    if (ok(r)) return r.stdout
    throw new Error(failureText(cmd, r, this.t.timeoutMs, this.name('docker-timeout')))
  }

  /** Read-only: is docker usable, what runs, which volumes `full` would remove and which stay. */
  async discover(): Promise<DockerState> {
    const s: DockerState = {
      mode: this.t.mode, active: false, files: [...this.t.files], project: this.t.project,
      containers: [], exited: [], volumes: [], stopped: false, removedVolumes: [], errors: [], warnings: []
    }
    if (this.t.mode === 'off') return { ...s, skipped: 'docker: off' }
    const unusable = (why: string, fix = `fix docker or set ${this.name('docker')} to auto or off`): DockerState => {
      if (this.t.mode === 'required') throw Object.assign(new Error(`docker is required but ${why}: ${fix}`), { code: 'ERR_DOCKER_REQUIRED' })
      return { ...s, skipped: why }
    }
    if (this.t.files.length === 0) return unusable(`no compose file was found in root (compose.yaml, docker-compose.yml, ...; or set ${this.name('compose-file')})`)
    const server = await this.run(dockerServerVersion())
    if (!ok(server)) return unusable(`the docker daemon cannot be reached (${failureText(dockerServerVersion(), server, this.t.timeoutMs, this.name('docker-timeout'))})`)

    const v2 = await this.run(composeV2Version())
    if (ok(v2)) {
      s.compose = { command: ['docker', 'compose'], version: 'v2' }
    } else {
      // A v2 plugin that hangs is installed but broken: `down` through it would hang too. Required
      // mode refuses (it promises the stack is stopped by the compose in use, not by a stand-in);
      // auto says so and stops the stack with v1, which still protects the files better than skipping.
      const hang = v2.timedOut ? `"docker compose" (v2) hangs: ${failureText(composeV2Version(), v2, this.t.timeoutMs, this.name('docker-timeout'))}` : ''
      if (hang) {
        if (this.t.mode === 'required') return unusable(hang, `fix or remove the compose plugin (docker compose version must answer), raise ${this.name('docker-timeout')}, or set ${this.name('docker')} to auto to fall back to docker-compose (v1)`)
        const warning = `${hang}; using docker-compose (v1) instead if it is installed`
        s.warnings.push(warning)
      }
      const v1 = await this.run(composeV1Version())
      if (!ok(v1)) return unusable(hang ? `${hang}, and docker-compose (v1) is not installed` : 'neither "docker compose" (v2) nor "docker-compose" (v1) is installed')
      s.compose = { command: ['docker-compose'], version: 'v1' }
    }
    s.active = true
    const { running, exited } = splitByState(lines(await this.must(listContainers(this.t.project))))
    s.containers = running
    s.exited = exited
    s.volumes = await this.volumes()
    return s
  }

  /** The project's labelled volumes, plus existing volumes named like a declared one (kept, with the reason). */
  private async volumes(): Promise<VolumeDecision[]> {
    const labelled = lines(await this.must(listVolumes(this.t.project)))
    const declared = declaredNames(this.t)
    let lookAlikes: string[] = []
    if (declared.size > 0) {
      const all = new Set(lines(await this.must(listAllVolumes())))
      lookAlikes = [...declared.keys()].filter((n) => all.has(n) && !labelled.includes(n))
    }
    const names = [...labelled, ...lookAlikes]
    if (names.length === 0) return []
    const inspected = JSON.parse(await this.must(inspectVolumes(names))) as { Name: string; Labels?: Record<string, string> | null }[]
    return decideVolumes(inspected, this.t, declared)
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
      const left = lines(await this.must(listContainers(s.project))).map((l) => l.split('\t')[0])
      if (left.length > 0) problems.push(`containers of project ${s.project} still exist: ${left.join(', ')}`)
      if (s.removedVolumes.length > 0) {
        const still = new Set(lines(await this.must(listAllVolumes())))
        for (const v of s.removedVolumes) if (still.has(v)) problems.push(`volume ${v} still exists`)
      }
    } catch (err) {
      problems.push((err as Error).message)
    }
    s.verification = { ok: problems.length === 0, problems }
  }
}
