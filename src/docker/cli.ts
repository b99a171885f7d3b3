/**
 * Runs docker commands for a run: the run's environment with DOCKER_HOST when set, the root as
 * working directory, and a timeout the run cannot hang past. The runner kills a command at the
 * timeout, but a child it left behind (a compose plugin under `docker`) can hold the output pipes
 * open, so a deadline TIMEOUT_GRACE_MS later gives up on it and keeps what it had said.
 */
import { describe, failureText, type Command, type CommandResult, type Runner } from './exec.js'
import { composeV1Version, composeV2Version, inspectContainers, lines } from './commands.js'
import type { InspectedContainer } from './running.js'
import type { DockerMode, OptionNames } from '../common/options.js'

export const TIMEOUT_GRACE_MS = 3000

export interface CliOptions {
  cwd: string
  /** The environment docker runs with (HOME/DOCKER_CONFIG find the compose plugin); default process.env. */
  env?: NodeJS.ProcessEnv
  dockerHost: string
  timeoutMs: number
  /** How errors name the timeout option (docker-timeout, --docker-timeout). */
  timeoutOption: string
}

export const ok = (r: CommandResult): boolean => r.exitCode === 0 && !r.timedOut

/** The environment docker runs with: `env`, with DOCKER_HOST when the run names one. */
export function dockerEnv(env: NodeJS.ProcessEnv, dockerHost: string): NodeJS.ProcessEnv {
  return dockerHost ? { ...env, DOCKER_HOST: dockerHost } : env
}

export class DockerCli {
  constructor(
    private readonly o: CliOptions,
    private readonly runner: Runner,
    private readonly trace: (line: string) => void = () => {}
  ) {}

  async run(cmd: Command): Promise<CommandResult> {
    this.trace(`$ ${describe(cmd)}`)
    const env = dockerEnv(this.o.env ?? process.env, this.o.dockerHost)
    // What the command said so far, for the error when the deadline gives up on it.
    const said = { stdout: '', stderr: '' }
    const onOutput = (stream: 'stdout' | 'stderr', text: string): void => {
      said[stream] = (said[stream] + text).slice(-64 * 1024)
    }
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<CommandResult>((resolve) => {
      timer = setTimeout(() => resolve({ exitCode: null, ...said, timedOut: true }), this.o.timeoutMs + TIMEOUT_GRACE_MS)
    })
    try {
      return await Promise.race([this.runner(cmd, { timeoutMs: this.o.timeoutMs, env, cwd: this.o.cwd, onOutput }), deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Runs `cmd` and returns stdout, or throws an error naming the command and its stderr. */
  async must(cmd: Command): Promise<string> {
    const r = await this.run(cmd)
    if (ok(r)) return r.stdout
    throw new Error(this.failure(cmd, r))
  }

  /**
   * The inspect documents of the containers `list` names (by id, one a line); none when it names
   * none. A container removed between the two makes inspect exit 1 with the others still printed.
   */
  async inspectListed(list: Command): Promise<InspectedContainer[]> {
    const ids = lines(await this.must(list))
    if (ids.length === 0) return []
    const r = await this.run(inspectContainers(ids))
    try {
      return JSON.parse(r.stdout) as InspectedContainer[]
    } catch {
      throw new Error(this.failure(inspectContainers(ids), r))
    }
  }

  /** What went wrong with `cmd`, naming it, its exit or timeout, and its last output. */
  failure(cmd: Command, r: CommandResult): string {
    return failureText(cmd, r, this.o.timeoutMs, this.o.timeoutOption)
  }
}

/**
 * The compose to run `down` with: v2 when its plugin answers, else v1; undefined when neither is
 * there (then containers are stopped by label). Warnings go to `warnings`; required mode throws.
 */
export async function whichCompose(cli: DockerCli, mode: DockerMode, names: OptionNames, warnings: string[]): Promise<{ command: string[]; version: 'v2' | 'v1' } | undefined> {
  const v2 = await cli.run(composeV2Version())
  if (ok(v2)) return { command: ['docker', 'compose'], version: 'v2' }
  // A v2 plugin that hangs is installed but broken: `down` through it would hang too. Required
  // mode refuses (it promises the stack is stopped by the compose in use, not by a stand-in);
  // auto says so and stops the stack with v1, which still protects the files better than skipping.
  const hang = v2.timedOut ? `"docker compose" (v2) hangs: ${cli.failure(composeV2Version(), v2)}` : ''
  if (hang) {
    if (mode === 'required') {
      throw Object.assign(new Error(`docker is required but ${hang}: fix or remove the compose plugin (docker compose version must answer), raise ${names('docker-timeout')}, or set ${names('docker')} to auto to fall back to docker-compose (v1)`), { code: 'ERR_DOCKER_REQUIRED' })
    }
    warnings.push(`${hang}; using docker-compose (v1) instead if it is installed`)
  }
  const v1 = await cli.run(composeV1Version())
  if (ok(v1)) return { command: ['docker-compose'], version: 'v1' }
  const none = hang ? `${hang}, and docker-compose (v1) is not installed` : 'neither "docker compose" (v2) nor "docker-compose" (v1) is installed'
  if (mode === 'required') throw Object.assign(new Error(`docker is required but ${none}: fix docker or set ${names('docker')} to auto or off`), { code: 'ERR_DOCKER_REQUIRED' })
  warnings.push(`${none}: containers are stopped and removed by their Compose labels instead`)
  return undefined
}
