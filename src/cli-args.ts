/** The CLI's argv -> what to run. Unknown flags and bad values throw ERR_USAGE (exit 2). */
import { parseArgs } from 'node:util'
import { fail, errorMessage } from './errors.js'
import { parseDockerMode, type PartialOptions } from './settings.js'

export interface CliArgs {
  root: string
  /** The --config flag ('' for the default .safe-purge.yml, if present). */
  config: string
  /** Only what the flags set, so the config file applies to the rest. */
  options: PartialOptions
  verbose: boolean
  json: boolean
  help: boolean
  version: boolean
}

export const HELP = `Usage: safe-purge [options]

Reset an environment's runtime state: stop its Docker Compose stack, delete its ephemeral paths
(logs/, data/redis/, data/temp/, .docker-compose-state by default), never touch protected ones
(models/, config/, src/, .env, .git, ...), then prove that nothing protected changed.

Options:
  --root DIR              environment root (default: the current directory)
  --dry-run               show what would be deleted; change nothing
  -y, --force             do not ask for confirmation (needed when stdin is not a terminal)
  --full                  also remove the compose project's named volumes (asks for the project name)
  --ephemeral PATH        a root-relative path to purge; repeat it; replaces the default list
  --protect PATTERN       an extra protected pattern (gitignore syntax); repeat it
  --config FILE           config file in the root (default: .safe-purge.yml if present)
  --docker MODE           auto (default), required, or off
  --compose-file FILE     compose file relative to root; repeat it (default: Compose's own files)
  --project-name NAME     compose project name (default: as Compose derives it)
  --docker-host URL       DOCKER_HOST for every docker call
  -v, --verbose           print each phase and each docker command
  --json                  print the JSON report on stdout, everything else on stderr
  -h, --help              show this help
  --version               show the version

Exit status: 0 purged and verified; 1 the purge ran but something failed (a deletion error, a
failed verification, docker); 2 refused or cancelled before anything was deleted (bad flag or
input, unsafe root, no confirmation).

Flags override the config file, which uses the action's input names (dry-run, ephemeral,
protected, docker, compose-file, compose-project, protected-volumes, docker-host, ...).
`

export function parseCli(argv: readonly string[]): CliArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        root: { type: 'string' },
        'dry-run': { type: 'boolean' },
        force: { type: 'boolean', short: 'y' },
        full: { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        json: { type: 'boolean' },
        ephemeral: { type: 'string', multiple: true },
        protect: { type: 'string', multiple: true },
        config: { type: 'string' },
        docker: { type: 'string' },
        'compose-file': { type: 'string', multiple: true },
        'project-name': { type: 'string' },
        'docker-host': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' }
      }
    })
  } catch (err) {
    const msg = errorMessage(err).replace(/\. To specify a positional argument.*$/s, '').split('\n')[0]
    throw fail('ERR_USAGE', `${msg}; see safe-purge --help`)
  }
  const v = parsed.values
  const options: PartialOptions = {}
  if (v['dry-run']) options['dry-run'] = true
  if (v.force) options.force = true
  if (v.full) options.full = true
  if (v.ephemeral) options.ephemeral = v.ephemeral
  if (v.protect) options.protected = v.protect
  if (v.docker !== undefined) options.docker = parseDockerMode(v.docker, '--docker')
  if (v['compose-file']) options['compose-file'] = v['compose-file']
  if (v['project-name'] !== undefined) options['compose-project'] = v['project-name']
  if (v['docker-host'] !== undefined) options['docker-host'] = v['docker-host']
  return {
    root: v.root ?? '.',
    config: v.config ?? '',
    options,
    verbose: v.verbose === true,
    json: v.json === true,
    help: v.help === true,
    version: v.version === true
  }
}
