/**
 * Which Compose project this root is: its files, its name and the volumes its files declare,
 * found by Compose's own rules (compose-files.ts), and the Compose that discovers, stops and
 * checks it. The one place that decides it: the engine asks here and nowhere else.
 */
import { loadYaml } from '../common/yaml.js'
import { ACTION_NAMES, type DockerMode, type OptionNames } from '../common/options.js'
import { externalVolumes, findComposeFiles, projectName, type DeclaredVolumes } from './compose-files.js'
import { Compose } from './compose.js'
import { runCommand, type Runner } from './exec.js'

/** What the person asked for: the options that say which project, and how to treat docker. */
export interface ProjectRequest {
  mode: DockerMode
  /** Root-relative compose files; empty: Compose's default files. */
  files: readonly string[]
  /** The project name as given; empty: derived the way Compose derives it. */
  name: string
  full: boolean
  protectedVolumes: readonly string[]
  dockerHost: string
  timeoutSeconds: number
}

export interface ComposeProject {
  /** Root-relative compose files in use (the policy protects them by exact path). */
  files: string[]
  /** Its name; empty when there is neither a compose file nor a given name. */
  name: string
  declared: DeclaredVolumes
  compose: Compose
}

export interface ProjectDeps {
  env: NodeJS.ProcessEnv
  names?: OptionNames
  runner?: Runner
  trace?: (line: string) => void
}

/** Reads the files (no docker is run here); throws a coded error naming the option on bad input. */
export async function composeProject(root: string, req: ProjectRequest, deps: ProjectDeps): Promise<ComposeProject> {
  const names = deps.names ?? ACTION_NAMES
  // With docker off and no file named, no compose file is read: a broken one must not block a purge.
  const files = req.mode === 'off' && req.files.length === 0 ? [] : findComposeFiles(root, req.files, names)
  if (files.length > 0) await loadYaml()
  const name = files.length > 0 || req.name ? projectName(root, files, req.name, deps.env, names) : ''
  const declared = externalVolumes(root, files, names)
  const compose = new Compose(
    {
      root, mode: req.mode, full: req.full, files, project: name, protectedVolumes: req.protectedVolumes, external: declared,
      dockerHost: req.dockerHost, timeoutMs: req.timeoutSeconds * 1000, env: deps.env, names
    },
    deps.runner ?? runCommand,
    deps.trace
  )
  return { files, name, declared, compose }
}
