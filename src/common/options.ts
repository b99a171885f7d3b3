/**
 * The options a person sets, shared by the action's inputs, the CLI's flags and the config file:
 * their keys and parsed types, and how each side spells them, so that an error names the fix they
 * can type: the action's input (`root`, `compose-project`) or the CLI's flag (`--root`, `--compose-project`).
 */

export type DockerMode = 'auto' | 'required' | 'off'

/** How entries this user cannot delete are finished: a root pass through sudo or a container, or not at all. */
export type PrivilegedMode = 'auto' | 'sudo' | 'container' | 'off'

/** How targets go: deleted entry by entry where they are (purge), or moved aside in one rename, then deleted (move). */
export type Strategy = 'purge' | 'move'

/** With `move`, when the trash is deleted: after the job's later steps (the action's post step, the CLI's background process), or now. */
export type TrashTiming = 'later' | 'now'

/** The keys shared by action inputs, CLI flags and the config file, with their parsed values. */
export interface Options {
  'dry-run': boolean
  force: boolean
  confirm: string
  full: boolean
  ephemeral: string[]
  protected: string[]
  docker: DockerMode
  'compose-file': string[]
  'compose-project': string
  'protected-volumes': string[]
  'docker-host': string
  'docker-timeout': number
  'keep-running': boolean
  services: string[]
  'remove-target-dirs': boolean
  privileged: PrivilegedMode
  'privileged-image': string
  strategy: Strategy
  trash: TrashTiming
}
export type OptionKey = keyof Options
export type PartialOptions = Partial<Options>

export type OptionName = OptionKey | 'root' | 'config'
export type OptionNames = (key: OptionName) => string

export const ACTION_NAMES: OptionNames = (key) => key

const CLI_FLAGS: Readonly<Record<OptionName, string>> = {
  root: '--root',
  config: '--config',
  'dry-run': '--dry-run',
  force: '--force',
  // The CLI asks instead of reading a confirmation value.
  confirm: '--force',
  full: '--full',
  ephemeral: '--ephemeral',
  protected: '--protected',
  docker: '--docker',
  'compose-file': '--compose-file',
  'compose-project': '--compose-project',
  'protected-volumes': '--protected-volumes',
  'docker-host': '--docker-host',
  'docker-timeout': '--docker-timeout',
  'keep-running': '--keep-running',
  services: '--services',
  'remove-target-dirs': '--remove-target-dirs',
  privileged: '--privileged',
  'privileged-image': '--privileged-image',
  strategy: '--strategy',
  trash: '--trash'
}

export const CLI_NAMES: OptionNames = (key) => CLI_FLAGS[key]
