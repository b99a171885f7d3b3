/**
 * The privileged pass as a step of a run (run.ts calls it after the purge): it decides whether the
 * pass may run, checks the protected paths again, runs it (privileged.ts) and folds its answer into
 * the outcome, which the run then verifies. Never when the first pass failed for any other reason:
 * another error, a refused or replaced target, docker, a cancel, a protected entry that changed.
 */
import type { Anchor } from '../fs/anchor.js'
import type { RootInfo } from '../fs/root-guard.js'
import type { OptionNames } from '../common/options.js'
import { errorMessage } from '../common/errors.js'
import { showPath } from '../common/text.js'
import type { Settings } from './settings.js'
import type { Policy } from './policy.js'
import type { Outcome } from './execute.js'
import { diffFingerprints, takeFingerprint, type Fingerprint } from './fingerprint.js'
import { escalatable, mergePass, passFailures, runPass, type Escalator } from './privileged.js'
import { bootId } from '../common/boot.js'
import type { PrivilegedInfo } from './privileged-report.js'
import type { Report } from './report.js'

/** The phase title: the mode is in it, for the log and the CLI's steps. */
export const PHASE_PRIVILEGED = 'Privileged pass'

/** What the step needs of the run. */
export interface PassStep {
  settings: Settings
  names: OptionNames
  root: RootInfo
  rootDir: Anchor
  policy: Policy
  /** The protected paths' fingerprint taken before the first pass. */
  before: Fingerprint
  /** Root-relative files protected by exact path (compose files, the config file). */
  exact: string[]
  escalator: Escalator
  phase: <T>(name: string, fn: () => Promise<T>) => Promise<T>
  log: { info(line: string): void }
  signal?: AbortSignal
}

/**
 * Runs the second pass, as root, on the targets that had permission errors only, when it may;
 * says in `info.notes` why not, and in `failed` what went wrong.
 */
export async function privilegedPass(step: PassStep, first: Outcome, info: PrivilegedInfo, failed: string[], cancelled: boolean): Promise<void> {
  const { settings, names, escalator, log } = step
  info.firstPass = first.errors.filter(escalatable)
  const other = first.errors.filter((e) => !escalatable(e))
  const refused = first.targets.find((t) => t.result === 'refused' || t.result === 'changed')
  const why =
    settings.privileged === 'off' ? `${names('privileged')} is off`
    : cancelled ? 'the run was cancelled'
    : failed.length > 0 ? `the run already failed (${failed[0]})`
    : refused ? `the target ${showPath(refused.path)} was ${refused.result} (${refused.reason ?? ''})`
    : other.length > 0 ? `the purge also failed for another reason (${showPath(other[0].path)}: ${other[0].code}${other[0].flags ? `, ${other[0].flags}` : ''})`
    : null
  if (why !== null) {
    info.notes.push(`the privileged pass did not run: ${why}`)
    return
  }
  const moved = diffFingerprints(step.before, takeFingerprint(step.rootDir, step.policy))
  if (moved.missing.length + moved.changed.length > 0) {
    info.notes.push('the privileged pass did not run: a protected entry changed during the purge')
    return
  }
  const availability = await escalator.resolve(true)
  info.availability = availability
  const esc = availability.use
  if (esc === null) {
    info.notes.push(`no privileged pass is available: ${availability.tried.join('; ')}`)
    return
  }
  const targets = first.targets.filter((t) => t.errors.some(escalatable)).map((t) => t.path)
  const title = `${PHASE_PRIVILEGED} (${esc.via === 'sudo' ? 'sudo' : `container ${esc.image}`})`
  await step.phase(title, async () => {
    log.info(`${info.firstPass.length} entr(ies) this user could not delete, in ${targets.map(showPath).join(', ')}: running the same engine as root`)
    const job = {
      expect: { dev: step.root.dev, ino: step.root.ino, boot: bootId() }, targets,
      protected: [...settings.protected], exact: step.exact, removeTargetDirs: settings.removeTargetDirs
    }
    const r = await runPass(escalator, esc, job, { signal: step.signal, onLine: (line) => log.info(`  | ${line}`) })
    info.ran = { ...esc, command: r.command, targets, report: r.answer?.report ?? null, problem: r.problem }
    if (r.problem !== null || !r.answer) {
      failed.push(`privileged pass: ${r.problem}`)
      return
    }
    const report = r.answer.report as Report
    try {
      mergePass(first, r.answer)
    } catch (err) {
      failed.push(`privileged pass: its report could not be merged (${errorMessage(err)})`)
      return
    }
    for (const f of passFailures(report)) failed.push(`privileged pass: ${f}`)
  })
}
