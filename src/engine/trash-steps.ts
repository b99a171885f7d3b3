/**
 * run.ts's trash steps, kept out of the orchestrator: the trashes earlier runs left (deleted
 * first; what their deletion could not do fails the run without stopping its purge) and the
 * hand-over of this run's trash to whoever deletes it later.
 */
import type { Anchor } from '../fs/anchor.js'
import type { Policy } from './policy.js'
import { claimFor, handOff, keptRuns, openTrash, type TrashInfo, type TrashWorker } from './trash.js'
import { leftoverRuns, purgeLeftovers } from './trash-purge.js'
import { errorMessage } from '../common/errors.js'
import { formatBytes } from '../common/text.js'

export const PHASE_LEFTOVERS = 'Trash: delete what earlier runs left'

interface StepContext {
  log: { info(line: string): void; warning(line: string): void }
  phase: <T>(name: string, fn: () => Promise<T>) => Promise<T>
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
}

/**
 * Finds the trashes no standing claim holds and, in a real run, deletes them. A trash this run
 * cannot use (another user's, a link) is warned of and left alone: it stops no purge.
 */
export async function leftoverStep(rootDir: Anchor, policy: Policy, dryRun: boolean, ctx: StepContext): Promise<{ info: Pick<TrashInfo, 'leftoverRuns' | 'leftovers' | 'kept'>; warnings: string[]; failures: string[] }> {
  const out = { info: { leftoverRuns: [] as string[], leftovers: [] as TrashInfo['leftovers'], kept: [] as string[] }, warnings: [] as string[], failures: [] as string[] }
  const warn = (w: string): void => {
    ctx.log.warning(w)
    out.warnings.push(w)
  }
  try {
    out.info.leftoverRuns = leftoverRuns(rootDir)
    const trash = openTrash(rootDir, false)
    if (trash !== null) {
      out.info.kept = keptRuns(trash)
      trash.close()
    }
  } catch (err) {
    warn(`the trash cannot be used, so what earlier runs left in it stays: ${errorMessage(err)}`)
    return out
  }
  if (out.info.kept.length > 0) warn(`${out.info.kept.length} trash(es) hold what their deletion could not remove or put back (${out.info.kept.join(', ')} in .safe-purge-trash/): check them, then delete them by hand`)
  if (dryRun || out.info.leftoverRuns.length === 0 || ctx.signal?.aborted) return out
  out.info.leftovers = await ctx.phase(PHASE_LEFTOVERS, async () => {
    const done = await purgeLeftovers(rootDir, out.info.leftoverRuns, claimFor('leftover', ctx.env), policy, { signal: ctx.signal })
    for (const r of done) ctx.log.info(`trash ${r.run} (left by an earlier run): ${r.totals.files} file(s), ${formatBytes(r.totals.bytes)} deleted${r.ok ? '' : `; ${r.failures[0]}`}`)
    return done
  })
  for (const r of out.info.leftovers) out.failures.push(...r.failures.map((f) => `trash left by an earlier run: ${f}`))
  return out
}

/**
 * Writes the claim of whoever deletes this run's trash later; true when it was handed over.
 * Nobody named, or a failure: it is a leftover, which the next run deletes first.
 */
export function handTrashOff(rootDir: Anchor, rootPath: string, run: string, to: ((run: string, root: string) => TrashWorker | null) | undefined, warn: (w: string) => void): boolean {
  try {
    const who = to?.(run, rootPath) ?? null
    if (who === null) return false
    handOff(rootDir, run, who)
    return true
  } catch (err) {
    warn(`the trash ${run} could not be handed to its later deletion (${errorMessage(err)}): the next run deletes it first`)
    return false
  }
}
