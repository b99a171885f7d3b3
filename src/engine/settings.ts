/**
 * The typed, read-only settings every entry point produces. Sources, highest first:
 * the action's inputs (or CLI flags), the config file (`.safe-purge.yml`), the defaults below.
 */
import path from 'node:path'
import { fail } from '../common/errors.js'
import type { DockerMode, OptionKey, Options, PartialOptions, PrivilegedMode, Strategy, TrashTiming } from '../common/options.js'

export interface Settings {
  /** Environment root as given (absolute, or relative to the working directory); root-guard resolves it. */
  readonly root: string
  /** Plan, report and summarize; change nothing. */
  readonly dryRun: boolean
  /** Skip confirmation (automation). */
  readonly force: boolean
  /** Without `force`, a destructive run needs this to equal the root folder's name. */
  readonly confirm: string
  /** Also remove the compose project's named volumes. */
  readonly full: boolean
  /** Root-relative paths to purge (validated by policy). */
  readonly ephemeral: readonly string[]
  /** Extra protected patterns (gitignore syntax), added to the built-in ones. */
  readonly protected: readonly string[]
  /**
   * The config file that was read: root-relative when it lies inside the root, absolute when it
   * was named elsewhere (engine/config.ts); null when none was. `rootConfigFile` says which.
   */
  readonly configFile: string | null
  /** How to treat Docker: stop the stack when possible (auto), insist (required), or never (off). */
  readonly docker: DockerMode
  /** Root-relative compose files; empty means discover the default ones. */
  readonly composeFiles: readonly string[]
  /** Compose project name; empty means derive it the way Compose does. */
  readonly composeProject: string
  /** Compose volume keys (e.g. `postgres_data`) that `full` never removes. */
  readonly protectedVolumes: readonly string[]
  /** DOCKER_HOST for every docker call; empty keeps the environment's. */
  readonly dockerHost: string
  /** Timeout for each docker command, in seconds. */
  readonly dockerTimeout: number
  /** Leave the stack running: held-open files are truncated, containers writing into targets are allowed. */
  readonly keepRunning: boolean
  /** Reset only these Compose services: stop them, purge, start them again; the others keep running. */
  readonly services: readonly string[]
  /** Remove each target directory itself too (the seed's way), not only what is inside it. */
  readonly removeTargetDirs: boolean
  /** How to finish entries this (non-root) user cannot delete: a root pass by sudo or a container, or not (off). */
  readonly privileged: PrivilegedMode
  /** The image of the container pass. */
  readonly privilegedImage: string
  /** `move`: targets holding nothing to keep are renamed into the root's trash in one step, then deleted (trash.ts). */
  readonly strategy: Strategy
  /** With `move`: the trash is deleted later (the action's post step, the CLI's background process) or now. */
  readonly trash: TrashTiming
}


export const OPTION_KINDS: Readonly<Record<OptionKey, 'boolean' | 'string' | 'list' | 'docker' | 'seconds' | 'privileged' | 'strategy' | 'trash'>> = {
  'dry-run': 'boolean',
  force: 'boolean',
  confirm: 'string',
  full: 'boolean',
  ephemeral: 'list',
  protected: 'list',
  docker: 'docker',
  'compose-file': 'list',
  'compose-project': 'string',
  'protected-volumes': 'list',
  'docker-host': 'string',
  'docker-timeout': 'seconds',
  'keep-running': 'boolean',
  services: 'list',
  'remove-target-dirs': 'boolean',
  privileged: 'privileged',
  'privileged-image': 'string',
  strategy: 'strategy',
  trash: 'trash'
}

/**
 * The container pass's default image: Node 24 (the action's own runtime), official, Debian
 * bookworm (glibc, so the bundled native helper loads), slim (no compiler, no shell tools needed).
 * It must be present on the runner or pullable; `privileged-image` names another.
 */
export const DEFAULT_PRIVILEGED_IMAGE = 'node:24-bookworm-slim'

export const DEFAULT_EPHEMERAL: readonly string[] = ['logs', 'data/redis', 'data/temp', '.docker-compose-state']

export const DEFAULTS: Readonly<Options> = {
  'dry-run': false,
  force: false,
  confirm: '',
  full: false,
  ephemeral: [...DEFAULT_EPHEMERAL],
  protected: [],
  docker: 'auto',
  'compose-file': [],
  'compose-project': '',
  'protected-volumes': [],
  'docker-host': '',
  'docker-timeout': 120,
  'keep-running': false,
  services: [],
  'remove-target-dirs': false,
  privileged: 'auto',
  'privileged-image': DEFAULT_PRIVILEGED_IMAGE,
  strategy: 'purge',
  trash: 'later'
}

/**
 * Options whose default reaches further than any value given to them (the defaults purge or stop
 * more), or that name something a blank cannot (an image).
 */
const WIDENED_WHEN_BLANK: ReadonlySet<OptionKey> = new Set(['ephemeral', 'compose-file', 'compose-project', 'privileged-image'])

/** A value that is only whitespace (an unset variable, most often) is refused for those options. */
export function refuseBlank(key: OptionKey, what: string): void {
  if (WIDENED_WHEN_BLANK.has(key)) {
    throw fail('ERR_BLANK_INPUT', `${what} is blank (only whitespace, often an unset variable): give a value, or leave it out to use the default`)
  }
}

/** YAML 1.2 core-schema booleans only: anything else is an error naming `what`. */
export function parseBoolean(value: string, what: string): boolean {
  if (/^(true|True|TRUE)$/.test(value)) return true
  if (/^(false|False|FALSE)$/.test(value)) return false
  throw fail('ERR_BAD_BOOLEAN', `${what} must be true or false (YAML 1.2 spelling), got ${JSON.stringify(value)}`)
}

export function parseDockerMode(value: string, what: string): DockerMode {
  if (value === 'auto' || value === 'required' || value === 'off') return value
  throw fail('ERR_BAD_DOCKER_MODE', `${what} must be auto, required or off, got ${JSON.stringify(value)}`)
}

export function parsePrivilegedMode(value: string, what: string): PrivilegedMode {
  if (value === 'auto' || value === 'sudo' || value === 'container' || value === 'off') return value
  throw fail('ERR_BAD_PRIVILEGED_MODE', `${what} must be auto, sudo, container or off, got ${JSON.stringify(value)}`)
}

export function parseStrategy(value: string, what: string): Strategy {
  if (value === 'purge' || value === 'move') return value
  throw fail('ERR_BAD_STRATEGY', `${what} must be purge or move, got ${JSON.stringify(value)}`)
}

export function parseTrashTiming(value: string, what: string): TrashTiming {
  if (value === 'later' || value === 'now') return value
  throw fail('ERR_BAD_TRASH', `${what} must be later or now, got ${JSON.stringify(value)}`)
}

export function parseSeconds(value: string, what: string): number {
  const n = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || n > 86400) {
    throw fail('ERR_BAD_TIMEOUT', `${what} must be a number of seconds greater than 0 and at most 86400 (a day), got ${JSON.stringify(value)}`)
  }
  return n
}

/**
 * An image reference as docker takes it (name[:tag][@digest]): never a leading dash (docker would
 * read it as a flag), no spaces or control characters.
 */
export function parseImage(value: string, what: string): string {
  const v = value.trim()
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]{0,511}$/.test(v)) {
    throw fail('ERR_BAD_IMAGE', `${what} must be an image reference such as node:24-bookworm-slim (letters, digits, . _ - / : @; no leading dash), got ${JSON.stringify(value)}`)
  }
  return v
}

/** Parses one raw string the way its key expects (multiline strings become lists). */
export function parseOption<K extends OptionKey>(key: K, raw: string, what: string): Options[K] {
  const kind = OPTION_KINDS[key]
  const value =
    kind === 'boolean' ? parseBoolean(raw.trim(), what)
    : kind === 'docker' ? parseDockerMode(raw.trim(), what)
    : kind === 'privileged' ? parsePrivilegedMode(raw.trim(), what)
    : kind === 'strategy' ? parseStrategy(raw.trim(), what)
    : kind === 'trash' ? parseTrashTiming(raw.trim(), what)
    : kind === 'seconds' ? parseSeconds(raw, what)
    : kind === 'list' ? splitLines(raw)
    : key === 'privileged-image' ? parseImage(raw, what)
    : raw.trim()
  return value as Options[K]
}

/** One entry per line; blank lines only separate. Entries keep inner spaces. */
export function splitLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** The config file when it is one of this root's files (protected, a sign of an environment); null when none, or named outside. */
export function rootConfigFile(settings: Settings): string | null {
  return settings.configFile !== null && !path.isAbsolute(settings.configFile) ? settings.configFile : null
}

/** Merges sources (first wins) over the defaults into Settings. */
export function buildSettings(root: string, configFile: string | null, ...sources: PartialOptions[]): Settings {
  const pick = <K extends OptionKey>(key: K): Options[K] => {
    for (const s of sources) {
      const v = s[key]
      if (v !== undefined) return v as Options[K]
    }
    return DEFAULTS[key]
  }
  // Protection only ever adds up: a higher source can never drop a lower source's patterns.
  const union = (key: 'protected' | 'protected-volumes'): string[] => [...new Set(sources.flatMap((s) => s[key] ?? []))]
  return {
    root,
    dryRun: pick('dry-run'),
    force: pick('force'),
    confirm: pick('confirm'),
    full: pick('full'),
    ephemeral: pick('ephemeral'),
    protected: union('protected'),
    configFile,
    docker: pick('docker'),
    composeFiles: pick('compose-file'),
    composeProject: pick('compose-project'),
    protectedVolumes: union('protected-volumes'),
    dockerHost: pick('docker-host'),
    dockerTimeout: pick('docker-timeout'),
    keepRunning: pick('keep-running'),
    services: pick('services'),
    removeTargetDirs: pick('remove-target-dirs'),
    privileged: pick('privileged'),
    privilegedImage: pick('privileged-image'),
    strategy: pick('strategy'),
    trash: pick('trash')
  }
}
