/** The CLI's argv -> what to run. Unknown flags and bad values throw ERR_USAGE (exit 2). */
import { parseArgs } from 'node:util'
import { fail, errorMessage } from '../common/errors.js'
import { parseDockerMode, parseImage, parsePrivilegedMode, parseSeconds, refuseBlank } from '../engine/settings.js'
import type { PartialOptions } from '../common/options.js'

export interface CliArgs {
  /** Whether --root was given (else the root is the working directory, which must look like an environment). */
  rootGiven: boolean
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

const FLAGS: readonly (readonly [string, string])[] = [
  ['--root DIR', 'environment root (default: the current directory)'],
  ['--dry-run', 'show what would be deleted; change nothing'],
  ['--no-dry-run', 'purge even though the config file says dry-run: true'],
  ['-y, --force', 'do not ask for confirmation (needed when stdin is not a terminal)'],
  ['--full', "also remove the compose project's volumes (asks for the project's name)"],
  ['--no-full', 'keep the volumes even though the config file says full: true'],
  ['--ephemeral PATH', 'a root-relative path to purge; repeat it; replaces the default list'],
  ['--protect PATTERN', 'an extra protected pattern (gitignore syntax); repeat it'],
  ['--config FILE', 'config file in the root (default: .safe-purge.yml if present)'],
  ['--docker MODE', 'auto (default), required, or off'],
  ['--compose-file FILE', "compose file relative to root; repeat it (default: Compose's own files)"],
  ['--project-name NAME', 'compose project name (default: as Compose derives it)'],
  ['--protected-volume NAME', 'a volume --full never removes (its compose key or name); repeat it'],
  ['--docker-host URL', 'DOCKER_HOST for every docker call'],
  ['--docker-timeout SECONDS', 'timeout of each docker command (default: 120)'],
  ['--service NAME', 'reset only this compose service: stop, purge, start again; repeat it'],
  ['--remove-target-dirs', 'remove each target directory too, not only what is inside it'],
  ['--keep-running', 'leave every container running (reclaim disk space while it serves)'],
  ['--privileged MODE', 'root pass for what this user cannot delete: auto, sudo, container, off'],
  ['--privileged-image IMAGE', 'the container pass\'s image (default: node:24-bookworm-slim)'],
  ['-v, --verbose', 'print each phase and each docker command'],
  ['--json', 'print the JSON report (or the error) on stdout, all else on stderr'],
  ['-h, --help', 'show this help'],
  ['--version', 'show the version']
]
const FLAG_WIDTH = Math.max(...FLAGS.map(([f]) => f.length)) + 2

export const HELP = `Usage: safe-purge [options]

Reset an environment's runtime state: stop its Docker Compose stack, delete its ephemeral paths
(logs/, data/redis/, data/temp/, .docker-compose-state by default), never touch protected ones
(models/, config/, src/, .env, .git, ...), then prove that nothing protected changed.

Options:
${FLAGS.map(([f, d]) => `  ${f.padEnd(FLAG_WIDTH)}${d}`).join('\n')}

Exit status: 0 purged and verified; 1 the purge ran but something failed (a deletion error, a
failed verification, docker, a cancellation during the purge); 2 refused or cancelled before
anything was deleted (bad flag or input, unsafe root, no confirmation).

Ctrl-C (SIGINT) or SIGTERM stops at the next safe point, verifies the protected paths, reports
and exits 1 (2 if nothing was deleted yet). A second signal changes nothing; a third quits at
once without verifying (exit 130, or 143 for SIGTERM; the next run clears the lock it leaves).

Flags override the config file, which uses the action's input names (dry-run, full, ephemeral,
protected, docker, compose-file, compose-project, protected-volumes, docker-host,
docker-timeout, keep-running, services, remove-target-dirs, privileged; not privileged-image,
which runs as root); protected patterns and volumes from both add up.

Entries this user cannot delete (files a container wrote as root) are finished by a second
pass as root, on just those targets: --privileged auto (the default) tries sudo -n, then a
container; a run that no mode could finish refuses before it changes anything.
`

export function parseCli(argv: readonly string[]): CliArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      tokens: true,
      options: {
        root: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'no-dry-run': { type: 'boolean' },
        force: { type: 'boolean', short: 'y' },
        full: { type: 'boolean' },
        'no-full': { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        json: { type: 'boolean' },
        ephemeral: { type: 'string', multiple: true },
        protect: { type: 'string', multiple: true },
        config: { type: 'string' },
        docker: { type: 'string' },
        'compose-file': { type: 'string', multiple: true },
        'project-name': { type: 'string' },
        'protected-volume': { type: 'string', multiple: true },
        'docker-host': { type: 'string' },
        'docker-timeout': { type: 'string' },
        'keep-running': { type: 'boolean' },
        service: { type: 'string', multiple: true },
        'remove-target-dirs': { type: 'boolean' },
        privileged: { type: 'string' },
        'privileged-image': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' }
      }
    })
  } catch (err) {
    const msg = errorMessage(err).replace(/\. To specify a positional argument.*$/s, '').split('\n')[0]
    throw fail('ERR_USAGE', `${msg}; see safe-purge --help`)
  }
  const v = parsed.values
  // --x and --no-x: the last one given wins, as in most Unix tools (an alias can then be overridden).
  const lastOf = (on: string, off: string): boolean | undefined => {
    let value: boolean | undefined
    for (const t of parsed.tokens) {
      if (t.kind === 'option' && (t.name === on || t.name === off)) value = t.name === on
    }
    return value
  }
  const options: PartialOptions = {}
  const dryRun = lastOf('dry-run', 'no-dry-run')
  if (dryRun !== undefined) options['dry-run'] = dryRun
  if (v.force) options.force = true
  const full = lastOf('full', 'no-full')
  if (full !== undefined) options.full = full
  if (v.ephemeral) options.ephemeral = v.ephemeral
  if (v.protect) options.protected = v.protect
  if (v.docker !== undefined) options.docker = parseDockerMode(v.docker, '--docker')
  if (v['compose-file']) options['compose-file'] = v['compose-file']
  if (v['project-name'] !== undefined) {
    if (v['project-name'].trim() === '') refuseBlank('compose-project', '--project-name')
    options['compose-project'] = v['project-name']
  }
  if (v['protected-volume']) options['protected-volumes'] = v['protected-volume']
  if (v['docker-host'] !== undefined) options['docker-host'] = v['docker-host']
  if (v['docker-timeout'] !== undefined) options['docker-timeout'] = parseSeconds(v['docker-timeout'], '--docker-timeout')
  if (v['keep-running']) options['keep-running'] = true
  if (v.service) options.services = v.service
  if (v['remove-target-dirs']) options['remove-target-dirs'] = true
  if (v.privileged !== undefined) options.privileged = parsePrivilegedMode(v.privileged, '--privileged')
  if (v['privileged-image'] !== undefined) {
    if (v['privileged-image'].trim() === '') throw fail('ERR_USAGE', '--privileged-image is empty: name an image, or leave it out for the default')
    options['privileged-image'] = parseImage(v['privileged-image'], '--privileged-image')
  }
  return {
    root: v.root ?? '.',
    rootGiven: v.root !== undefined,
    config: v.config ?? '',
    options,
    verbose: v.verbose === true,
    json: v.json === true,
    help: v.help === true,
    version: v.version === true
  }
}

/**
 * Whether --json was asked for, also when the arguments do not parse: a refusal must then still be
 * one JSON document on stdout. Arguments after `--` are not options.
 */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json')
}
