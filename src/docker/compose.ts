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
import fs from 'node:fs'
import path from 'node:path'
import {
  composeDown, composeV1Version, composeV2Version, dockerServerVersion, inspectContainers, inspectVolumes, lines, listAllContainers,
  listAllVolumes, listContainers, listVolumes, removeContainers, removeVolume, stopContainers
} from './commands.js'
import { findEnvironment, parseContainers, type FoundBy, type InspectedContainer, type Stack, type Writer } from './running.js'
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

/** A stack as the report shows it. */
export interface StackState {
  project: string
  files: string[]
  /** Where its files resolve from: the root, or the project directory its containers name. */
  workingDir: string
  /** Passed to `down` as --project-directory when it is not the root. */
  projectDir: string | null
  foundBy: FoundBy
  /** How it is stopped: `down` with its own files, or its containers by label when the files cannot be used. */
  stoppedBy: 'compose down' | 'docker stop and rm'
  /** Why not `down` (its files are gone or unreadable, no compose is installed), or null. */
  filesUnusable: string | null
  /** Running (or paused, restarting) containers: stopping stops and removes them. */
  containers: string[]
  /** Its containers that are not running (exited, created, dead): only removed. */
  exited: string[]
  /** Container ids, for stopping by label. */
  ids: string[]
  stopped: boolean
}

export interface DockerState {
  mode: DockerMode
  /** True when docker will be used for this run. */
  active: boolean
  /** Why docker is not used (auto mode), for the log and the summary. */
  skipped?: string
  compose?: { command: string[]; version: 'v2' | 'v1' }
  /** The stacks this environment runs (or, with nothing running, the one its files describe). */
  stacks: StackState[]
  /** Running containers outside Compose that write into a target (left running only with keep-running). */
  writers: Writer[]
  /** The first stack's project and files (the one the files resolve to when nothing runs). */
  files: string[]
  project: string
  /** Running containers of every stack. */
  containers: string[]
  /** Not-running containers of every stack. */
  exited: string[]
  volumes: VolumeDecision[]
  stopped: boolean
  removedVolumes: string[]
  errors: string[]
  /** Things the operator should know that do not fail the run (e.g. a hung compose plugin). */
  warnings: string[]
  verification?: { ok: boolean; problems: string[] }
}

/** What discovery needs to know of the run. */
export interface DiscoverInput {
  /** The root as guarded, with its device and inode. */
  root: { path: string; dev: number; ino: number }
  /** Root-relative targets. */
  targets: readonly string[]
  /** Leave every container running (writers into targets are then allowed). */
  keepRunning: boolean
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

  /**
   * Read-only: is docker usable, which stacks run from this root (or reach into its targets), what
   * else writes into the targets, which volumes `full` would remove and which stay. Throws a coded
   * error (nothing has changed yet) when the run must not go on.
   */
  async discover(input: DiscoverInput): Promise<DockerState> {
    const s: DockerState = {
      mode: this.t.mode, active: false, stacks: [], writers: [], files: [...this.t.files], project: this.t.project,
      containers: [], exited: [], volumes: [], stopped: false, removedVolumes: [], errors: [], warnings: []
    }
    if (this.t.mode === 'off') return { ...s, skipped: 'docker: off' }
    const required = (why: string, fix = `fix docker or set ${this.name('docker')} to auto or off`): never => {
      throw Object.assign(new Error(`docker is required but ${why}: ${fix}`), { code: 'ERR_DOCKER_REQUIRED' })
    }
    const server = await this.run(dockerServerVersion())
    if (!ok(server)) {
      const why = `the docker daemon cannot be reached (${failureText(dockerServerVersion(), server, this.t.timeoutMs, this.name('docker-timeout'))})`
      if (this.t.mode === 'required') required(why)
      // A stack that may be running cannot be checked: purging under it could race its writes.
      if (this.t.files.length > 0) {
        throw Object.assign(
          new Error(`refusing to purge: ${why}, and root has a compose file (${this.t.files.join(', ')}) whose stack may be running: give this user docker access (the docker group, ${this.name('docker-host')}), or set ${this.name('docker')} to off to purge without stopping anything`),
          { code: 'ERR_DOCKER_UNCHECKED' }
        )
      }
      return { ...s, skipped: why }
    }

    const env = findEnvironment(parseContainers(await this.containers()), {
      root: input.root, project: this.t.project, files: [...this.t.files],
      targets: input.targets.map((t) => path.join(input.root.path, t)), nodeOf, unusable
    })
    s.writers = env.writers
    if (env.writers.length > 0 && !input.keepRunning) {
      const w = env.writers[0]
      const more = env.writers.length > 1 ? ` (and ${env.writers.length - 1} more: ${env.writers.slice(1).map((x) => x.name).join(', ')})` : ''
      throw Object.assign(
        new Error(`refusing to purge: container ${w.name} (${w.image}, not started by Compose) writes into ${path.relative(input.root.path, w.binds[0].target) || '.'} through its bind mount ${w.binds[0].source}${more}: stop it first, or set ${this.name('keep-running')} to purge while it runs`),
        { code: 'ERR_CONTAINER_WRITING' }
      )
    }
    const stacks = env.stacks
    if (stacks.length === 0 && this.t.files.length > 0) {
      // Nothing runs: `down` with the root's own files still removes what `up` left (networks).
      stacks.push({ project: this.t.project, files: [...this.t.files], projectDir: null, foundBy: 'files', containers: [], filesUnusable: null })
    }
    if (stacks.length === 0) {
      const why = `no compose file was found in root (compose.yaml, docker-compose.yml, ...; or set ${this.name('compose-file')}) and no container runs from it or writes into its targets`
      if (this.t.mode === 'required') required(why)
      return { ...s, skipped: why }
    }

    s.compose = await this.composeCommand(s)
    s.stacks = stacks.map((st) => this.stackState(st, s.compose))
    s.project = s.stacks[0].project
    s.files = s.stacks[0].files
    s.containers = s.stacks.flatMap((st) => st.containers)
    s.exited = s.stacks.flatMap((st) => st.exited)
    s.active = true
    s.volumes = (await Promise.all(s.stacks.map((st) => this.volumes(st.project)))).flat()
    return s
  }

  /** Every container's inspect document (none when there are none). */
  private async containers(): Promise<InspectedContainer[]> {
    const ids = lines(await this.must(listAllContainers()))
    if (ids.length === 0) return []
    // A container removed between ps and inspect makes inspect exit 1 with the others still printed.
    const r = await this.run(inspectContainers(ids))
    try {
      return JSON.parse(r.stdout) as InspectedContainer[]
    } catch {
      throw new Error(failureText(inspectContainers(ids), r, this.t.timeoutMs, this.name('docker-timeout')))
    }
  }

  /** The compose to run `down` with: v2 when its plugin answers, else v1; undefined when neither is there. */
  private async composeCommand(s: DockerState): Promise<DockerState['compose']> {
    const v2 = await this.run(composeV2Version())
    if (ok(v2)) return { command: ['docker', 'compose'], version: 'v2' }
    // A v2 plugin that hangs is installed but broken: `down` through it would hang too. Required
    // mode refuses (it promises the stack is stopped by the compose in use, not by a stand-in);
    // auto says so and stops the stack with v1, which still protects the files better than skipping.
    const hang = v2.timedOut ? `"docker compose" (v2) hangs: ${failureText(composeV2Version(), v2, this.t.timeoutMs, this.name('docker-timeout'))}` : ''
    if (hang) {
      if (this.t.mode === 'required') {
        throw Object.assign(new Error(`docker is required but ${hang}: fix or remove the compose plugin (docker compose version must answer), raise ${this.name('docker-timeout')}, or set ${this.name('docker')} to auto to fall back to docker-compose (v1)`), { code: 'ERR_DOCKER_REQUIRED' })
      }
      s.warnings.push(`${hang}; using docker-compose (v1) instead if it is installed`)
    }
    const v1 = await this.run(composeV1Version())
    if (ok(v1)) return { command: ['docker-compose'], version: 'v1' }
    const none = hang ? `${hang}, and docker-compose (v1) is not installed` : 'neither "docker compose" (v2) nor "docker-compose" (v1) is installed'
    if (this.t.mode === 'required') throw Object.assign(new Error(`docker is required but ${none}: fix docker or set ${this.name('docker')} to auto or off`), { code: 'ERR_DOCKER_REQUIRED' })
    s.warnings.push(`${none}: containers are stopped and removed by their Compose labels instead`)
    return undefined
  }

  private stackState(st: Stack, compose: DockerState['compose']): StackState {
    const filesUnusable = st.filesUnusable ?? (compose ? null : 'no docker compose is installed')
    return {
      project: st.project, files: st.files, workingDir: st.projectDir ?? this.t.root, projectDir: st.projectDir, foundBy: st.foundBy,
      stoppedBy: filesUnusable === null ? 'compose down' : 'docker stop and rm', filesUnusable,
      containers: st.containers.filter((c) => c.running).map((c) => c.name),
      exited: st.containers.filter((c) => !c.running).map((c) => c.name),
      ids: st.containers.map((c) => c.id), stopped: false
    }
  }

  /** A project's labelled volumes, plus existing volumes named like one the root's files declare (kept, with the reason). */
  private async volumes(project: string): Promise<VolumeDecision[]> {
    const labelled = lines(await this.must(listVolumes(project)))
    // The files' declarations name this root's project: another stack's look-alikes are not ours to judge.
    const declared = project === this.t.project ? declaredNames(this.t) : new Map<string, string>()
    let lookAlikes: string[] = []
    if (declared.size > 0) {
      const all = new Set(lines(await this.must(listAllVolumes())))
      lookAlikes = [...declared.keys()].filter((n) => all.has(n) && !labelled.includes(n))
    }
    const names = [...labelled, ...lookAlikes]
    if (names.length === 0) return []
    const inspected = JSON.parse(await this.must(inspectVolumes(names))) as { Name: string; Labels?: Record<string, string> | null }[]
    return decideVolumes(inspected, { ...this.t, project }, declared)
  }

  /**
   * Stops every stack: `down` with the files and project that started it, or, when those files
   * cannot be used, `docker stop` and `docker rm` of its containers. Throws (the caller deletes
   * nothing then) when one fails.
   */
  async stop(s: DockerState): Promise<void> {
    if (!s.active) return
    for (const st of s.stacks) {
      if (st.stoppedBy === 'compose down' && s.compose) {
        await this.must(composeDown(s.compose.command, st.files, st.project, st.projectDir ?? undefined))
      } else if (st.ids.length > 0) {
        if (st.containers.length > 0) await this.must(stopContainers(st.ids))
        await this.must(removeContainers(st.ids))
      }
      st.stopped = true
    }
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

  /** After the purge: no container of a stopped stack remains, every volume reported removed is gone. */
  async verify(s: DockerState): Promise<void> {
    if (!s.active || !s.stopped) return
    const problems: string[] = []
    try {
      for (const st of s.stacks) {
        const left = lines(await this.must(listContainers(st.project))).map((l) => l.split('\t')[0])
        if (left.length > 0) problems.push(`containers of project ${st.project} still exist: ${left.join(', ')}`)
      }
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

/** The device and inode of a host path, or null. */
function nodeOf(p: string): { dev: number; ino: number } | null {
  try {
    const st = fs.statSync(p)
    return { dev: st.dev, ino: st.ino }
  } catch {
    return null
  }
}

/** Why a compose file cannot be read for `down`, or null. */
function unusable(file: string): string | null {
  try {
    fs.accessSync(file, fs.constants.R_OK)
    return fs.statSync(file).isFile() ? null : `${file} is not a file`
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? `its compose file ${file} is gone` : `its compose file ${file} cannot be read (${code})`
  }
}
