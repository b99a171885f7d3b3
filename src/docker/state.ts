/**
 * What the docker side knows and reports for a run: the project it acts on, what discovery found
 * (stacks, writers into the targets, volumes, services), and what was done to it.
 */
import type { DockerMode, OptionNames } from '../common/options.js'
import type { FoundBy, Writer } from './running.js'
import type { ServicesState } from './services.js'
import type { VolumeDecision, VolumeRules } from './volumes.js'

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
  /** Set when only some services are reset (the services option). */
  services?: ServicesState
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
  /** Reset only these services of the stack; empty: the whole stack. */
  services: readonly string[]
}
