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
import path from 'node:path'
import {
  composeDown, dockerServerVersion, inspectVolumes, lines, listAllContainers,
  listAllVolumes, listContainers, listVolumes, removeContainers, removeVolume, stopContainers, composeRmServices, listServiceContainers
} from './commands.js'
import { DockerCli, ok, whichCompose } from './cli.js'
import type { ComposeTarget, DiscoverInput, DockerState, StackState } from './state.js'
import { chooseStack, containersNow, restartServices, rowsOf } from './services.js'
import { declaredServices } from './compose-files.js'
import { errorMessage, fail } from '../common/errors.js'
import { bindsIntoTargets, composeFileProblem, findEnvironment, hostNodeOf, hostRealPath, parseContainers, type Stack } from './running.js'
import { declaredNames, decideVolumes, type VolumeDecision } from './volumes.js'
import { ACTION_NAMES, type OptionName } from '../common/options.js'

export class Compose {
  private readonly cli: DockerCli

  constructor(
    private readonly t: ComposeTarget,
    runner: Runner,
    trace: (line: string) => void = () => {}
  ) {
    this.cli = new DockerCli({ cwd: t.root, env: t.env, dockerHost: t.dockerHost, timeoutMs: t.timeoutMs, timeoutOption: this.name('docker-timeout') }, runner, trace)
  }

  private name(key: OptionName): string {
    return (this.t.names ?? ACTION_NAMES)(key)
  }

  private run(cmd: Command): Promise<CommandResult> {
    return this.cli.run(cmd)
  }

  private must(cmd: Command): Promise<string> {
    return this.cli.must(cmd)
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
      const why = `the docker daemon cannot be reached (${this.cli.failure(dockerServerVersion(), server)})`
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

    const probe = {
      root: input.root, project: this.t.project, files: [...this.t.files],
      targets: input.targets.map((t) => path.join(input.root.path, t)), nodeOf: hostNodeOf, unusable: composeFileProblem, resolve: hostRealPath
    }
    const env = findEnvironment(parseContainers(await this.cli.inspectListed(listAllContainers())), probe)
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
    const services = input.services.length > 0 ? chooseStack(stacks, input.services, (st) => this.declared(st), this.name('services')) : null
    if (services) {
      // Only the named services stop: anything else that writes into a target would go on writing
      // under the purge (another service of the stack, another stack found by its bind mounts).
      const staying = stacks.flatMap((st) => st.containers).filter((c) => c.running && !(c.project === services.project && c.service !== null && input.services.includes(c.service)))
      for (const c of staying) {
        const [b] = bindsIntoTargets(c, probe)
        if (!b) continue
        throw Object.assign(
          new Error(`refusing to purge: container ${c.name} (project ${c.project}, service ${c.service}) keeps running and writes into ${path.relative(input.root.path, b.target) || '.'} through its bind mount ${b.source}: add its service to ${this.name('services')}, or leave that path out of ${this.name('ephemeral')}`),
          { code: 'ERR_CONTAINER_WRITING' }
        )
      }
      stacks.splice(0, stacks.length, services)
    }
    if (stacks.length === 0) {
      const why = `no compose file was found in root (compose.yaml, docker-compose.yml, ...; or set ${this.name('compose-file')}) and no container runs from it or writes into its targets`
      if (this.t.mode === 'required') required(why)
      return { ...s, skipped: why }
    }

    s.compose = await whichCompose(this.cli, this.t.mode, this.t.names ?? ACTION_NAMES, s.warnings)
    s.stacks = stacks.map((st) => this.stackState(st, s.compose))
    s.project = s.stacks[0].project
    s.files = s.stacks[0].files
    s.containers = s.stacks.flatMap((st) => st.containers)
    s.exited = s.stacks.flatMap((st) => st.exited)
    s.active = true
    s.volumes = (await Promise.all(s.stacks.map((st) => this.volumes(st.project)))).flat()
    if (services) this.onlyServices(s, services, input.services)
    return s
  }

  /** The services a stack's files declare (none when they cannot be read). */
  private declared(st: Stack): string[] {
    return st.filesUnusable === null ? declaredServices(st.projectDir ?? this.t.root, st.files, this.t.names) : []
  }

  /** Narrows the run to some services of the stack: what is stopped, which volumes `full` may remove. */
  private onlyServices(s: DockerState, st: Stack, names: readonly string[]): void {
    const stack = s.stacks[0]
    if (stack.stoppedBy !== 'compose down') {
      throw fail('ERR_SERVICES', `${this.name('services')} cannot be reset in project ${stack.project}: ${stack.filesUnusable}, so they could not be started again; fix that, or drop ${this.name('services')} to stop the whole stack`)
    }
    const mine = st.containers.filter((c) => c.service !== null && names.includes(c.service))
    stack.containers = mine.filter((c) => c.running).map((c) => c.name)
    stack.exited = mine.filter((c) => !c.running).map((c) => c.name)
    s.containers = stack.containers
    s.exited = stack.exited
    const mounted = new Set(mine.flatMap((c) => c.volumes))
    s.volumes = s.volumes.map((v) => (v.action === 'remove' && !mounted.has(v.name) ? { ...v, action: 'keep', reason: `not mounted by ${names.join(', ')}` } : v))
    if (this.t.full && !s.volumes.some((v) => v.action === 'remove')) {
      throw fail('ERR_CONFLICT', `${this.name('full')} and ${this.name('services')} contradict each other: ${names.join(', ')} mount no volume that full could remove; drop one of them`)
    }
    s.services = { project: stack.project, names: [...names], before: rowsOf(st.containers), after: [], restarted: [] }
  }

  /** Starts the reset services again and waits for them; each that does not come back is an error of the run. */
  async restart(s: DockerState): Promise<void> {
    if (!s.services || !s.compose || !s.stopped) return
    const stack = s.stacks[0]
    const call = { base: s.compose.command, files: stack.files, project: stack.project, projectDir: stack.projectDir ?? undefined }
    try {
      s.errors.push(...(await restartServices(this.cli, call, s.services, this.t.timeoutMs)))
    } catch (err) {
      s.errors.push(`${s.services.names.join(', ')} could not be started again: ${errorMessage(err)}`)
    }
    s.services.after = await containersNow(this.cli, stack.project).catch(() => [])
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
      if (st.stoppedBy === 'compose down' && s.compose && s.services) {
        await this.must(composeRmServices({ base: s.compose.command, files: st.files, project: st.project, projectDir: st.projectDir ?? undefined }, s.services.names))
      } else if (st.stoppedBy === 'compose down' && s.compose) {
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
        if (s.services) {
          for (const service of s.services.names) {
            const left = lines(await this.must(listServiceContainers(st.project, service)))
            if (left.length > 0) problems.push(`containers of service ${service} of project ${st.project} still exist: ${left.map((id) => id.slice(0, 12)).join(', ')}`)
          }
          continue
        }
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
