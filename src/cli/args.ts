/** The CLI's argv -> what to run. Unknown flags and bad values throw ERR_USAGE (exit 2). */
import { parseArgs } from 'node:util'
import { fail, errorMessage } from '../common/errors.js'
import { parseDockerMode, parseImage, parsePrivilegedMode, parseSeconds, parseStrategy, parseTrashTiming, refuseBlank } from '../engine/settings.js'
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
  /** --list: list every entry that would go and what stays. */
  list: boolean
  json: boolean
  help: boolean
  version: boolean
  /** --status: report the background deletion of the trash (running, last result) and exit. */
  status: boolean
  /** --trash-worker RUN: internal, the detached process that deletes one run's trash (not in --help). */
  trashWorker: string | null
}

/**
 * The flags, in --help's order: how they read in the synopsis and in the option list. Options
 * shared with the action are spelled like its inputs (`--compose-project` for `compose-project`);
 * `aliases` are the older spellings, still accepted.
 */
interface Flag {
  /** As the option list shows it: `-y, --force`, `--root DIR`. */
  flag: string
  help: string
  /** As the synopsis shows it, when not `[--flag ARG]`. */
  usage?: string
  /** It may be repeated (the synopsis adds `...`). */
  repeat?: boolean
  aliases?: string[]
}

const FLAGS: readonly Flag[] = [
  { flag: '--root DIR', help: 'environment root (default: the current directory)' },
  { flag: '--dry-run', help: 'show what would be deleted; change nothing', usage: '[--dry-run|--no-dry-run]' },
  { flag: '--no-dry-run', help: 'purge even though the config file says dry-run: true', usage: '' },
  { flag: '--list', help: 'list each entry that would go, and what stays (dry run, or the prompt)' },
  { flag: '-y, --force', help: 'do not ask for confirmation (needed when stdin is not a terminal)', usage: '[--force|-y]' },
  { flag: '--full', help: "also remove the compose project's volumes (asks for the project's name)", usage: '[--full|--no-full]' },
  { flag: '--no-full', help: 'keep the volumes even though the config file says full: true', usage: '' },
  { flag: '--ephemeral PATH', help: 'a root-relative path to purge; repeat it; replaces the default list', repeat: true },
  { flag: '--protected PATTERN', help: 'an extra protected pattern (gitignore syntax); repeat it', repeat: true, aliases: ['--protect'] },
  { flag: '--config FILE', help: 'config file (default: .safe-purge.yml in the root, if present)' },
  { flag: '--docker MODE', help: 'auto (default), required, or off', usage: '[--docker auto|required|off]' },
  { flag: '--compose-file FILE', help: "compose file relative to root; repeat it (default: Compose's own files)", repeat: true },
  { flag: '--compose-project NAME', help: 'compose project name (default: as Compose derives it)', aliases: ['--project-name'] },
  { flag: '--protected-volumes NAME', help: 'a volume --full never removes (its compose key or name); repeat it', repeat: true, aliases: ['--protected-volume'] },
  { flag: '--docker-host URL', help: 'DOCKER_HOST for every docker call' },
  { flag: '--docker-timeout SECONDS', help: 'timeout of each docker command (default: 120)' },
  { flag: '--services NAME', help: 'reset only this compose service: stop, purge, start again; repeat it', repeat: true, aliases: ['--service'] },
  { flag: '--keep-running', help: 'leave every container running (reclaim disk space while it serves)' },
  { flag: '--remove-target-dirs', help: 'remove each target directory too, not only what is inside it' },
  { flag: '--privileged MODE', help: 'root pass for what this user cannot delete: auto, sudo, container, off', usage: '[--privileged auto|sudo|container|off]' },
  { flag: '--privileged-image IMAGE', help: "the container pass's image (default: node:24-bookworm-slim)" },
  { flag: '--strategy MODE', help: 'purge (default) deletes in place; move renames targets aside at once', usage: '[--strategy purge|move]' },
  { flag: '--trash WHEN', help: 'with move: delete the trash later (in the background, default) or now', usage: '[--trash later|now]' },
  { flag: '--status', help: 'whether a background trash deletion runs; how the last ones ended' },
  { flag: '-v, --verbose', help: 'print each phase and each docker command; in a dry run, the listing too', usage: '[--verbose]' },
  { flag: '--json', help: 'print the JSON report (or the error) on stdout, all else on stderr' },
  { flag: '-h, --help', help: 'show this help', usage: '[--help]' },
  { flag: '--version', help: 'show the version' }
]
const FLAG_WIDTH = Math.max(...FLAGS.map((f) => f.flag.length)) + 2

/** The older spellings of renamed flags, with the name each stands for now. */
export const FLAG_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  FLAGS.flatMap((f) => (f.aliases ?? []).map((a) => [a, f.flag.split(' ')[0]]))
)

/** `safe-purge [--root DIR] [--dry-run|--no-dry-run] ...`, wrapped under 100 columns: --help's first lines and the README's synopsis. */
export const SYNOPSIS: string = (() => {
  const items = FLAGS.map((f) => f.usage ?? `[${f.flag}]${f.repeat ? '...' : ''}`).filter((u) => u !== '')
  const lead = 'Usage: safe-purge '
  const lines: string[] = []
  let line = lead
  for (const item of items) {
    if (line.length + item.length + 1 > 100 && line.trim() !== '') {
      lines.push(line.trimEnd())
      line = ' '.repeat(lead.length)
    }
    line += `${item} `
  }
  lines.push(line.trimEnd())
  return lines.join('\n')
})()

export const HELP = `${SYNOPSIS}

Reset an environment's runtime state: stop its Docker Compose stack, delete its ephemeral paths
(logs/, data/redis/, data/temp/, .docker-compose-state by default), never touch protected ones
(models/, config/, src/, .env, .git, ...), then prove that nothing protected changed. Deletion
cannot be undone: preview it with --dry-run --list.

Options:
${FLAGS.map((f) => `  ${f.flag.padEnd(FLAG_WIDTH)}${f.help}`).join('\n')}

Older spellings, still accepted: ${Object.entries(FLAG_ALIASES).map(([a, n]) => `${a} for ${n}`).join(', ').replace(/^(.{40,}?), /, '$1,\n')}.

Exit status: 0 purged and verified; 1 the purge ran but something failed (a deletion error, a
failed verification, docker, a cancellation during the purge); 2 refused or cancelled before
anything was deleted (bad flag or input, unsafe root, no confirmation). A dry run exits 0, or 1
when it finds entries a real run could not delete.

Ctrl-C (SIGINT) or SIGTERM stops at the next safe point, verifies the protected paths, reports
and exits 1 (2 if nothing was deleted yet). A second signal changes nothing; a third quits at
once without verifying (exit 130, or 143 for SIGTERM; the next run clears the lock it leaves).

Flags override the config file, whose keys are the action's input names, the flags' names
without the dashes (dry-run, full, ephemeral, protected, docker, compose-file, compose-project,
protected-volumes, docker-host, docker-timeout, keep-running, services, remove-target-dirs,
privileged, strategy, trash; not privileged-image, which runs as root); protected patterns and
volumes from both add up.

--strategy move renames each target that holds nothing to keep into .safe-purge-trash/ in the
root and returns once the targets are clean and verified; a process of its own then deletes the
trash at the lowest priority. --status exits 0 when none runs and the last one ended well, 3
while one runs, 1 when one failed or a trash was left (the next run deletes it first).

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
        list: { type: 'boolean' },
        json: { type: 'boolean' },
        ephemeral: { type: 'string', multiple: true },
        protected: { type: 'string', multiple: true },
        protect: { type: 'string', multiple: true },
        config: { type: 'string' },
        docker: { type: 'string' },
        'compose-file': { type: 'string', multiple: true },
        'compose-project': { type: 'string' },
        'project-name': { type: 'string' },
        'protected-volumes': { type: 'string', multiple: true },
        'protected-volume': { type: 'string', multiple: true },
        'docker-host': { type: 'string' },
        'docker-timeout': { type: 'string' },
        'keep-running': { type: 'boolean' },
        services: { type: 'string', multiple: true },
        service: { type: 'string', multiple: true },
        'remove-target-dirs': { type: 'boolean' },
        privileged: { type: 'string' },
        'privileged-image': { type: 'string' },
        strategy: { type: 'string' },
        trash: { type: 'string' },
        status: { type: 'boolean' },
        'trash-worker': { type: 'string' },
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
  // A flag and its older spelling add up (repeatable) or the last one wins, in the order given.
  const given = (...names: string[]): { name: string; value: string }[] =>
    parsed.tokens.flatMap((t) => (t.kind === 'option' && names.includes(t.name) && t.value !== undefined ? [{ name: `--${t.name}`, value: t.value }] : []))
  const all = (name: string, alias: string): string[] | undefined => {
    const values = given(name, alias).map((x) => x.value)
    return values.length > 0 ? values : undefined
  }
  const protectedPatterns = all('protected', 'protect')
  if (protectedPatterns) options.protected = protectedPatterns
  if (v.docker !== undefined) options.docker = parseDockerMode(v.docker, '--docker')
  if (v['compose-file']) options['compose-file'] = v['compose-file']
  const project = given('compose-project', 'project-name').at(-1)
  if (project !== undefined) {
    if (project.value.trim() === '') refuseBlank('compose-project', project.name)
    options['compose-project'] = project.value
  }
  const volumes = all('protected-volumes', 'protected-volume')
  if (volumes) options['protected-volumes'] = volumes
  if (v['docker-host'] !== undefined) options['docker-host'] = v['docker-host']
  if (v['docker-timeout'] !== undefined) options['docker-timeout'] = parseSeconds(v['docker-timeout'], '--docker-timeout')
  if (v['keep-running']) options['keep-running'] = true
  const services = all('services', 'service')
  if (services) options.services = services
  if (v['remove-target-dirs']) options['remove-target-dirs'] = true
  if (v.privileged !== undefined) options.privileged = parsePrivilegedMode(v.privileged, '--privileged')
  if (v['privileged-image'] !== undefined) {
    if (v['privileged-image'].trim() === '') throw fail('ERR_USAGE', '--privileged-image is empty: name an image, or leave it out for the default')
    options['privileged-image'] = parseImage(v['privileged-image'], '--privileged-image')
  }
  if (v.strategy !== undefined) options.strategy = parseStrategy(v.strategy, '--strategy')
  if (v.trash !== undefined) options.trash = parseTrashTiming(v.trash, '--trash')
  return {
    root: v.root ?? '.',
    rootGiven: v.root !== undefined,
    config: v.config ?? '',
    options,
    verbose: v.verbose === true,
    list: v.list === true,
    json: v.json === true,
    help: v.help === true,
    version: v.version === true,
    status: v.status === true,
    trashWorker: v['trash-worker'] ?? null
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
