/**
 * The proof after a run: every protected entry fingerprinted before is still there, unchanged,
 * and (in a real run) every target ended clean: gone, or (a target directory that stays) holding
 * at most what was kept and the held-open files the purge truncated in place.
 */
import type { Anchor } from '../fs/anchor.js'
import { HeldFiles } from '../fs/holders.js'
import type { Policy } from './policy.js'
import { scanTarget, type Plan } from './plan.js'
import type { Outcome } from './execute.js'
import { diffFingerprints, takeFingerprint, type Fingerprint, type FpChange, type ProtectedRoot } from './fingerprint.js'

export interface Verification {
  /** Protected entries fingerprinted before the purge. */
  checked: number
  missing: string[]
  changed: FpChange[]
  /**
   * Targets not clean after the purge, with the deletable entries left inside (0: the target
   * itself is still there, and should not be: a file, or a directory `removeTargetDirs` removes).
   * Kept entries and truncated held-open files are not counted.
   */
  leftovers: { path: string; remaining: number }[]
  protectedRoots: ProtectedRoot[]
}

export async function verifyProtected(
  rootDir: Anchor,
  policy: Policy,
  before: Fingerprint,
  plan: Plan,
  outcome: Outcome | null,
  dryRun: boolean,
  skip?: ReadonlySet<string>
): Promise<Verification> {
  const after = takeFingerprint(rootDir, policy, skip)
  const { missing, changed } = diffFingerprints(before, after)
  const leftovers: { path: string; remaining: number }[] = []
  // In a real run every target must end clean, also when the purge never started (then it is not).
  if (!dryRun) {
    for (const [i, t] of plan.targets.entries()) {
      // A cancelled target is expected to hold what was not reached; the report says so.
      if (t.status !== 'present' || outcome?.targets[i].result === 'cancelled') continue
      // Files the purge truncated are expected to stay (their writers keep appending): counted apart.
      const held = HeldFiles.of(outcome?.targets[i].truncatedNodes ?? [])
      const again = await scanTarget(rootDir, t.path, policy, undefined, true, { removeTargetDirs: plan.removeTargetDirs, held })
      // What cannot even be read is not clean either (a directory of root's that a pass left).
      const left = again.status === 'present' ? again.files + again.others + again.dirs + again.unreadable.length : 0
      // The counts include the target itself when it would go (a file; a directory removeTargetDirs
      // removes once nothing in it stays): say what is inside.
      const itself = again.kind === 'dir' ? (again.keptTarget || again.keptDirs > 0 ? 0 : 1) : 1
      if (left > 0) leftovers.push({ path: t.path, remaining: left - itself })
    }
  }
  return { checked: before.entries.size, missing, changed, leftovers, protectedRoots: after.roots }
}
