/**
 * The engine both entry points call: settings -> policy -> plan -> (confirm) -> fingerprint ->
 * docker down -> execute -> verify -> report. Refusals (bad input, unsafe root, no confirmation)
 * throw a coded error before anything is changed; problems after that are in the result.
 */
import os from 'node:os'
import { guardRoot, openRoot, defaultGuardEnv, type GuardEnv, type RootInfo } from '../fs/root-guard.js'
import { createPolicy, validateTargets, type Policy } from './policy.js'
import { scanTargets, type Plan } from './plan.js'
import { executePlan, type ExecuteHooks, type ExecuteOptions, type Outcome, type DeleteError, type Progress } from './execute.js'
import { takeFingerprint } from './fingerprint.js'
import { verifyProtected } from './verify.js'
import type { Compose } from '../docker/compose.js'
import type { DockerState } from '../docker/state.js'
import { composeProject } from '../docker/project.js'
import { leaveCwd, procRequiredButMissing, sameNode } from '../fs/anchor.js'
import { HeldFiles, mapsReliableAt } from '../fs/holders.js'
import { freeBytes } from '../fs/space.js'
import { buildReport, previewTargets, type Report } from './report.js'
import { planLines, resultLines } from './report-lines.js'
import { showPath } from '../common/text.js'
import { fail, errorMessage } from '../common/errors.js'
import type { Runner } from '../docker/exec.js'
import { acquireLock } from './lock.js'
import { rootConfigFile, type Settings } from './settings.js'
import { missingTargets, preflight, refuseContradictions, refuseUnknownRoot } from './checks.js'
import { ACTION_NAMES, type OptionNames } from '../common/options.js'
import { runCommand } from '../docker/exec.js'
import { UnlinkCheck } from '../fs/access.js'
import { Escalator, escalatable, runningAsRoot, type Availability } from './privileged.js'
import { bootId } from '../common/boot.js'
import { PHASE_PRIVILEGED, privilegedPass } from './privileged-pass.js'
import { deniedEntries, refusePermissions, type DeniedSummary, type PrivilegedInfo } from './privileged-report.js'
import type { Anchor, NodeId } from '../fs/anchor.js'
import { decideMoves, nothingToFingerprintIn, type MoveDecision } from './move-plan.js'
import { discardEmptyRun, moveToTrash, type MoveInto } from './execute-trash.js'
import { claimFor, createRun, newRunId, openTrash, type TrashInfo, type TrashManifest, type TrashWorker } from './trash.js'
import { deleteTrash } from './trash-purge.js'
import { handTrashOff, leftoverStep, PHASE_LEFTOVERS } from './trash-steps.js'

export interface Logger {
  info(line: string): void
  warning(line: string): void
  error(line: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** Decides whether a destructive run may go ahead; returns null to proceed or the refusal reason. */
export type Confirmer = (ctx: { settings: Settings; root: RootInfo; plan: Plan; docker: DockerState }) => Promise<string | null>

export interface RunDeps {
  log: Logger
  env: NodeJS.ProcessEnv
  confirm: Confirmer
  runner?: Runner
  guardEnv?: GuardEnv
  now?: () => Date
  /** Test seam: stage races inside the executor. */
  executeHooks?: ExecuteHooks
  /** Aborted when the job is cancelled (SIGINT/SIGTERM): stop at a safe point, verify, report. */
  signal?: AbortSignal
  /** True when the confirmer shows the plan's counts to a person (the tree is then counted first). */
  confirmReadsPlan?: boolean
  /** How errors name the options (the action's inputs by default, the CLI's flags). */
  names?: OptionNames
  /** List every entry that would go (the plan counts the tree then): the CLI's --list, the action's dry runs. */
  list?: boolean
  /** Progress of the purge (files and bytes removed so far), throttled. */
  onProgress?: (p: Progress) => void
  /**
   * The root was not named but defaulted to the working directory (the CLI without --root): it must
   * show a sign of being an environment, or a command typed in the wrong directory purges its logs/.
   */
  rootImplicit?: boolean
  /**
   * Set in the privileged pass itself (cli/pass.ts): the root must be this node (the one the outer
   * run guarded), the outer run's exact-path protections apply, and the outer run holds the lock.
   */
  pass?: { expect: NodeId & { boot: string | null }; exact: string[] }
  /** The privileged pass reports the files it truncated (by device and inode) for the outer verification. */
  onOutcome?: (outcome: Outcome | null) => void
  /** Test seam: where the bundle (dist/) the privileged pass runs is. */
  bundleDir?: string
  /** Test seam (strategy move): called just before a target is renamed into the trash. */
  beforeMove?: (rel: string) => void
  /**
   * Strategy move with trash: later: who deletes this run's trash, told as soon as the targets are
   * moved (the action saves it for its post step; the CLI starts its background process). The
   * claim returned is written into the trash, so no other run takes it for a leftover meanwhile.
   */
  handOff?: (run: string, root: string) => TrashWorker | null
}

/** The phases that change something: an error thrown once one of them began is not a refusal. */
export const PHASE_DOCKER_STOP = 'Docker: stop the stack'
export const PHASE_PURGE = 'Purge'
export const PHASE_DOCKER_START = 'Docker: start the services again'
export const PHASE_TRASH = 'Trash: delete'
export { PHASE_PRIVILEGED }
export const CHANGING_PHASES: ReadonlySet<string> = new Set([PHASE_DOCKER_STOP, PHASE_PURGE, PHASE_DOCKER_START, PHASE_PRIVILEGED, PHASE_LEFTOVERS, PHASE_TRASH])

/** Whether a phase (a log group) changes something; the privileged pass's title names its mode. */
export function changesSomething(phase: string): boolean {
  return CHANGING_PHASES.has(phase) || phase.startsWith(`${PHASE_PRIVILEGED} (`)
}

/** The action's rule: `force`, or `confirm` equal to the root folder's name. */
export const confirmByName: Confirmer = async ({ settings, root }) => {
  if (settings.force || settings.confirm === root.name) return null
  const got = settings.confirm === '' ? 'no confirm was given' : `confirm ${JSON.stringify(settings.confirm)} does not match`
  return `refusing to purge ${showPath(root.path)}: ${got}; set confirm: ${JSON.stringify(root.name)} (the root folder's name), or force: true for automation`
}

interface Prepared {
  root: RootInfo
  policy: Policy
  targets: string[]
  compose: Compose
  /** Root-relative files protected by exact path (compose files, the config file). */
  exact: string[]
}

/** Validates everything; throws a coded error, and touches nothing, on any violation. */
export async function prepare(settings: Settings, deps: RunDeps): Promise<Prepared> {
  if (procRequiredButMissing()) {
    throw fail('ERR_PLATFORM', 'this Linux has no /proc/self/fd, which safe-purge needs to delete anchored to opened directories: mount /proc')
  }
  const names = deps.names ?? ACTION_NAMES
  refuseContradictions(settings, names)
  const root = guardRoot(settings.root, deps.guardEnv ?? defaultGuardEnv(deps.env), names)
  if (deps.pass && !sameNode(root, deps.pass.expect)) {
    throw fail('ERR_ROOT_CHANGED', `the privileged pass sees a root (device ${root.dev}, inode ${root.ino}) that is not the one the run guarded (device ${deps.pass.expect.dev}, inode ${deps.pass.expect.ino}): nothing was changed`)
  }
  if (deps.pass && deps.pass.expect.boot !== null && bootId() !== deps.pass.expect.boot) {
    throw fail('ERR_ROOT_CHANGED', `the privileged pass runs on another machine (boot id ${bootId() ?? 'unknown'}, not ${deps.pass.expect.boot}): a docker daemon elsewhere mounted a folder of its own; nothing was changed`)
  }
  const project = await composeProject(
    root.path,
    {
      mode: settings.docker, files: settings.composeFiles, name: settings.composeProject, full: settings.full,
      protectedVolumes: settings.protectedVolumes, dockerHost: settings.dockerHost, timeoutSeconds: settings.dockerTimeout
    },
    { env: deps.env, names, runner: deps.runner, trace: (line) => deps.log.info(line) }
  )
  if (deps.rootImplicit) refuseUnknownRoot(root, settings, project.files, names)
  // A config file outside the root (named explicitly) is no path of this root to protect.
  const config = rootConfigFile(settings)
  const exact = [...project.files, ...(config !== null ? [config] : []), ...(deps.pass?.exact ?? [])]
  const policy = createPolicy(settings.protected, exact, names)
  const targets = validateTargets(settings.ephemeral, policy, names)
  const compose = project.compose
  return { root, policy, targets, compose, exact }
}

export async function run(settings: Settings, deps: RunDeps): Promise<Report> {
  const now = deps.now ?? (() => new Date())
  const started = now()
  const { log } = deps
  // Each phase is a log group and is timed for the report (what an operator and the benchmark read).
  const timings: Record<string, number> = {}
  const phase = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    log.group(name, async () => {
      const t0 = performance.now()
      try {
        return await fn()
      } finally {
        timings[name] = Math.round(performance.now() - t0)
      }
    })
  const prep = await phase('Validate', async () => prepare(settings, deps))
  const { root, policy, targets, compose } = prep
  log.info(`root: ${showPath(root.path)}${settings.dryRun ? ' (dry run: nothing will be changed)' : ''}`)
  const names = deps.names ?? ACTION_NAMES
  // Entries this user cannot delete are finished by a root pass (privileged.ts), never from a root
  // run nor from the pass itself.
  const asRoot = deps.pass !== undefined || runningAsRoot()
  const escalator = new Escalator({
    mode: settings.privileged, image: settings.privilegedImage, root: root.path, dockerHost: settings.dockerHost,
    timeoutSeconds: settings.dockerTimeout, env: deps.env, names, runner: deps.runner ?? runCommand,
    trace: (line) => log.info(line), bundleDir: deps.bundleDir
  })
  let availability: Availability | null = null
  // With privileged off, a run does what it always did: it fails on such entries as it meets them.
  const checks = !asRoot && settings.privileged !== 'off'
  let denied: DeniedSummary | null = null

  const rootDir = openRoot(root)
  try {
    const warnings: string[] = []
    const plan = await phase('Plan', async () => {
      warnings.push(...preflight(rootDir))
      for (const w of warnings) log.warning(w)
      // Counted up front when someone reads the plan before anything happens (dry run, a prompt),
      // and in every run as an ordinary user: what it could not delete must be known before the
      // stack is stopped (a root run that nobody reviews walks the tree once, while it purges).
      const count = settings.dryRun || deps.confirmReadsPlan === true || checks || deps.list === true
      // A dry run shows which files a real run would truncate: exactly, when nothing is stopped first.
      const stays = settings.docker === 'off' || settings.keepRunning
      const held = settings.dryRun && stays ? HeldFiles.scan([rootDir.dev], mapsReliableAt(root.path)) : undefined
      const p = await scanTargets(rootDir, root.path, targets, policy, count, deps.signal, { removeTargetDirs: settings.removeTargetDirs, held, access: count ? new UnlinkCheck() : undefined, list: deps.list })
      for (const line of planLines(previewTargets(p, true))) log.info(line)
      for (const w of missingTargets(p, root.path, settings, names)) {
        log.warning(w)
        warnings.push(w)
      }
      // A trash this run could not trust or use refuses the run before anything changes.
      if (settings.strategy === 'move' && !deps.pass) openTrash(rootDir, false)?.close()
      if (checks) {
        denied = deniedEntries(p)
        // sudo is asked (and an image looked for) only when something needs it; nothing is pulled yet.
        if (denied.rootCan > 0) availability = await escalator.resolve(false)
        if (!settings.dryRun) refusePermissions(denied, availability, names, true)
      }
      return p
    })
    const docker = await phase('Docker: discover', async () => compose.discover({ root, targets, keepRunning: settings.keepRunning, services: settings.services }))
    for (const w of docker.warnings) {
      log.warning(w)
      warnings.push(w)
    }
    if (docker.skipped) {
      const msg = `docker skipped: ${docker.skipped}`
      if (settings.docker === 'off') log.info(msg)
      else {
        log.warning(msg)
        warnings.push(msg)
      }
      if (settings.full && settings.docker !== 'off') {
        const full = `full was requested but no volumes ${settings.dryRun ? 'would be' : 'were'} removed (docker skipped)`
        log.warning(full)
        warnings.push(full)
      }
    }

    if (!settings.dryRun) {
      const refusal = await deps.confirm({ settings, root, plan, docker })
      if (refusal) throw fail('ERR_NOT_CONFIRMED', refusal)
      // Confirmed: the container's image, if only it was missing, is pulled now, before anything
      // changes; a run that still has no mode refuses here, the stack still running.
      // (Both were set inside the Plan phase's callback, which TypeScript's narrowing does not follow.)
      const found = denied as DeniedSummary | null
      const now = availability as Availability | null
      if (found !== null && found.rootCan > 0 && now?.use == null && now?.pullable) {
        availability = await escalator.resolve(true)
        refusePermissions(found, availability, names, false)
      }
    }

    // The outer run holds the lock while its privileged pass runs.
    const release = settings.dryRun || deps.pass ? () => {} : acquireLock(rootDir, root.path, (w) => log.warning(w))
    try {
      const failures: string[] = []
      const cancelled = (): boolean => deps.signal?.aborted === true
      let dockerActed = false
      // A trash an earlier run left (killed, cancelled, its post step never ran) goes first. What
      // its deletion could not do fails this run too, but never stops this run's own purge.
      const trash: TrashInfo = { strategy: settings.strategy, timing: settings.trash, run: null, moved: [], inPlace: [], handedOff: false, leftovers: [], leftoverRuns: [], kept: [], purge: null }
      const late: string[] = []
      if (!deps.pass) {
        const left = await leftoverStep(rootDir, policy, settings.dryRun, { log, phase, env: deps.env, signal: deps.signal })
        Object.assign(trash, left.info)
        warnings.push(...left.warnings)
        late.push(...left.failures)
      }
      if (!settings.dryRun && docker.active && !settings.keepRunning && !cancelled()) {
        try {
          await phase(PHASE_DOCKER_STOP, async () => {
            dockerActed = true
            await compose.stop(docker)
            await compose.removeVolumes(docker)
          })
        } catch (err) {
          failures.push(`docker compose down failed, so no file was deleted (containers may still be writing): ${errorMessage(err)}`)
        }
      }
      // Strategy move: which targets go whole (after the stack is down: nothing writes into them).
      let decisions: MoveDecision[] = []
      if (settings.strategy === 'move' && !deps.pass && failures.length === 0 && !cancelled()) {
        decisions = await phase('Move: which targets go whole', async () => {
          const d = decideMoves(rootDir, root.path, plan, policy, { keepRunning: settings.keepRunning, services: settings.services, removeTargetDirs: settings.removeTargetDirs, checks })
          for (const m of d.decisions) log.info(m.move ? `${m.path}: ${settings.dryRun ? 'would move' : 'moves'} into the trash in one rename` : `${m.path}: purged in place: ${m.why}`)
          for (const w of d.warnings) {
            log.warning(w)
            warnings.push(w)
          }
          return d.decisions
        })
      }
      const movable = new Set(decisions.filter((d) => d.move).map((d) => d.path))
      if (settings.dryRun) trash.moved = [...movable]
      trash.inPlace = decisions.filter((d) => !d.move).map((d) => ({ path: d.path, why: d.why ?? '' }))
      // Taken after the stack is down: what a container does to protected files while it shuts
      // down (a database's pid file, a checkpoint) is not the purge's doing. It reads inside the
      // targets too (by d_type), but not where nothing protected can be: not in a dry run (it
      // changes nothing), not in a target that moves (just looked through; what appears later is
      // found by the trash purge), not in one the native helper's look finds nothing in.
      const skip = settings.dryRun ? new Set(targets) : deps.pass ? movable : nothingToFingerprintIn(rootDir, plan, policy, movable)
      const before = await phase('Fingerprint protected paths', async () => takeFingerprint(rootDir, policy, skip))
      let outcome: Outcome | null = null
      let reclaimed: number | null = null
      let free = 0
      if (!settings.dryRun && failures.length === 0 && !cancelled()) {
        outcome = await phase(PHASE_PURGE, async () => {
          free = freeBytes(rootDir)
          let into: MoveInto | null = null
          if (movable.size > 0) {
            try {
              into = startTrash(rootDir, root, plan, policy, movable, deps.beforeMove)
              trash.run = into.manifest.run
            } catch (err) {
              // No trash, no move: those targets are purged in place (still judged entry by entry).
              const w = `the trash could not be made (${errorMessage(err)}): every target is purged in place`
              log.warning(w)
              warnings.push(w)
              for (const path of movable) trash.inPlace.push({ path, why: `not moved: the trash could not be made (${errorMessage(err)})` })
            }
          }
          // After the stack is down: what still holds a file open keeps running while we purge.
          // (Targets that move were looked at for that already: with nothing purged in place, no scan.)
          const dest = into
          const inPlace = plan.targets.some((t) => t.status === 'present' && (dest === null || !movable.has(t.path)))
          const held = inPlace ? HeldFiles.scan([rootDir.dev], mapsReliableAt(root.path)) : HeldFiles.none()
          if (held.uninspected.count > 0) {
            const w = `${held.uninspected.count} process(es) of other users could not be inspected (run as root to see them): a file they hold open is unlinked, not truncated, and its space comes back only when they close it`
            log.warning(w)
            warnings.push(w)
          }
          try {
            const mover: ExecuteOptions['mover'] = dest === null ? undefined : (top, out) => moveToTrash(dest, top, out, !settings.removeTargetDirs)
            return await executePlan(rootDir, plan, policy, { hooks: deps.executeHooks, signal: deps.signal, onProgress: deps.onProgress, held, movable, mover })
          } finally {
            dest?.runDir.close()
            for (const [path, why] of dest?.notes ?? []) trash.inPlace.push({ path, why: `not moved: ${why}` })
          }
        })
        trash.moved = outcome.targets.filter((t) => t.result === 'moved').map((t) => t.path)
        if (trash.run !== null && trash.moved.length === 0) {
          discardEmptyRun(rootDir, trash.run)
          trash.run = null
        }
        // Handed over at once: a failure after this point must not leave the trash unclaimed.
        if (trash.run !== null && settings.trash === 'later' && !cancelled()) {
          trash.handedOff = handTrashOff(rootDir, root.path, trash.run, deps.handOff, (w: string) => {
            log.warning(w)
            warnings.push(w)
          })
        }
      }
      const privileged: PrivilegedInfo = { availability, firstPass: [], ran: null, notes: [] }
      if (outcome !== null && !asRoot && outcome.errors.some(escalatable)) {
        const step = { settings, names, root, rootDir, policy, before, exact: prep.exact, escalator, phase, log, signal: deps.signal }
        await privilegedPass(step, outcome, privileged, failures, cancelled())
      }
      if (outcome !== null) reclaimed = freeBytes(rootDir) - free
      if (cancelled()) {
        const what = outcome
          ? 'cancelled during the purge: stopped at a safe point; what was not reached is still there'
          : dockerActed
            ? 'cancelled after the stack was stopped, before any file was deleted'
            : 'cancelled before anything was changed'
        failures.push(what)
        log.warning(what)
      }
      const verification = await phase('Verify', async () => {
        const v = await verifyProtected(rootDir, policy, before, plan, outcome, settings.dryRun, skip)
        await compose.verify(docker)
        return v
      })
      deps.onOutcome?.(outcome)
      // After the proof: a service that starts writes into its targets and protected paths again.
      // Also after a cancel: the services were running before, and a reset must not leave them down.
      if (docker.services && docker.stopped) await phase(PHASE_DOCKER_START, async () => compose.restart(docker))
      // The targets are clean and proved so; what they held is deleted now, or after the job's
      // later steps (the action's post step, the CLI's background process).
      if (trash.run !== null && settings.trash === 'now' && !cancelled()) {
        const run = trash.run
        trash.purge = await phase(PHASE_TRASH, async () => deleteTrash(rootDir, run, claimFor('now', deps.env), policy, { signal: deps.signal, onProgress: deps.onProgress }))
        if (trash.purge !== null) {
          late.push(...trash.purge.failures)
          // What the filesystem gained counts the trash's deletion too.
          if (reclaimed !== null && trash.purge.space.reclaimedBytes !== null) reclaimed += trash.purge.space.reclaimedBytes
        }
      }
      const report = buildReport({ settings, root, plan, outcome, before, verification, docker, warnings, failures: [...failures, ...late], cancelled: cancelled(), timings, started, finished: now(), reclaimed, privileged, trash })
      await log.group('Result', async () => {
        for (const line of planLines(report.targets)) log.info(line)
        for (const line of resultLines(report)) log.info(line)
      })
      return report

    } finally {
      release()
    }
  } finally {
    rootDir.close()
    leaveCwd()
  }
}

export type { DeleteError, TrashInfo }

/** Creates this run's trash directory and manifest (every movable target named before any moves). */
function startTrash(rootDir: Anchor, root: RootInfo, plan: Plan, policy: Policy, movable: ReadonlySet<string>, beforeRename?: (rel: string) => void): MoveInto {
  const trashDir = openTrash(rootDir, true) as Anchor // made if missing: never null
  try {
    const manifest: TrashManifest = {
      tool: 'safe-purge-trash', version: 1, run: newRunId(), createdAt: new Date().toISOString(), host: os.hostname(),
      root: { dev: root.dev, ino: root.ino },
      targets: plan.targets.filter((t) => movable.has(t.path)).map((t, i) => ({ name: String(i), path: t.path })),
      protected: [...policy.extra], exact: [...policy.exact]
    }
    return { runDir: createRun(trashDir, manifest), manifest, notes: new Map(), beforeRename }
  } finally {
    trashDir.close()
  }
}
