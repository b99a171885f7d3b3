/**
 * The container form of the privileged pass: the image check (present, or pulled), and the one
 * `docker run` that runs the bundled CLI as root on the root's targets. Scoped by construction:
 * the container sees the root at /env and the bundle read-only at /safe-purge, nothing else of
 * the host; no network, a read-only filesystem, every capability dropped but the two that
 * deletion needs (DAC_OVERRIDE to pass permission bits, FOWNER for sticky directories), and no
 * way to gain more (no-new-privileges).
 */
import { DockerCli, ok } from './cli.js'
import { lastLines, type Command, type Runner } from './exec.js'

/** Where the root is mounted in the container. */
export const PASS_ROOT = '/env'
/** Where the bundle (dist/) is mounted, read-only. */
export const PASS_BUNDLE = '/safe-purge'

export interface ContainerContext {
  root: string
  image: string
  dockerHost: string
  timeoutSeconds: number
  env: NodeJS.ProcessEnv
  timeoutOption: string
  runner: Runner
  trace?: (line: string) => void
}

export type ImageCheck = { ok: true; pulled: boolean } | { ok: false; why: string; absent: boolean }

/**
 * Whether the container pass can run: a daemon on this machine (a bind mount names a folder of the
 * daemon's host), usable by this user, with the image present, or pulled when `pull` (a dry run
 * changes nothing, so it only says whether the image is there).
 */
export async function checkImage(ctx: ContainerContext, pull: boolean): Promise<ImageCheck> {
  const host = ctx.dockerHost || ctx.env.DOCKER_HOST || ''
  if (host !== '' && !host.startsWith('unix://')) {
    return { ok: false, absent: false, why: `the docker daemon is at ${host}, not on this machine, so it cannot mount this root` }
  }
  const cli = new DockerCli({ cwd: ctx.root, env: ctx.env, dockerHost: ctx.dockerHost, timeoutMs: ctx.timeoutSeconds * 1000, timeoutOption: ctx.timeoutOption }, ctx.runner, ctx.trace)
  const inspect: Command = { command: 'docker', args: ['image', 'inspect', '--format', '{{.Id}}', ctx.image] }
  const r = await cli.run(inspect)
  if (ok(r)) return { ok: true, pulled: false }
  if (r.spawnError || r.timedOut || !/no such image/i.test(r.stderr)) {
    return { ok: false, absent: false, why: `docker is not usable: ${cli.failure(inspect, r)}` }
  }
  if (!pull) return { ok: false, absent: true, why: `the image ${ctx.image} is not present on this machine` }
  const pullCmd: Command = { command: 'docker', args: ['pull', '--quiet', ctx.image] }
  const p = await cli.run(pullCmd)
  if (ok(p)) return { ok: true, pulled: true }
  return { ok: false, absent: true, why: `the image ${ctx.image} is not present and could not be pulled (${lastLines(p.stderr, 1) || (p.timedOut ? 'timed out' : `exit ${p.exitCode}`)})` }
}

/**
 * `docker run` for the pass: the CLI bundle in `bundleDir` runs with the image's node, as root,
 * reading its job on stdin. Paths with a comma, a quote or a newline cannot be spelled in --mount
 * safely: the caller refuses them (see mountable).
 */
export function containerPassCommand(image: string, root: string, bundleDir: string): Command {
  return {
    command: 'docker',
    args: [
      'run', '--rm', '-i', '--pull', 'never', '--log-driver', 'none',
      '--network', 'none', '--read-only', '--user', '0:0',
      '--cap-drop', 'ALL', '--cap-add', 'DAC_OVERRIDE', '--cap-add', 'FOWNER',
      '--security-opt', 'no-new-privileges',
      '--label', 'com.safe-purge.pass=privileged',
      '--mount', `type=bind,source=${root},target=${PASS_ROOT}`,
      '--mount', `type=bind,source=${bundleDir},target=${PASS_BUNDLE},readonly`,
      '--workdir', '/',
      '--entrypoint', 'node',
      image,
      `${PASS_BUNDLE}/cli/index.js`, '--privileged-pass'
    ]
  }
}

/** Why `path` cannot be bind-mounted by a --mount option, or null when it can. */
export function unmountable(path: string): string | null {
  return /[,"\n\r]/.test(path) ? `its path ${JSON.stringify(path)} holds a comma, a quote or a line break, which docker's --mount cannot take` : null
}
