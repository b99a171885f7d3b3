/**
 * The proof after a run: every protected entry fingerprinted before is still there, unchanged,
 * and (in a real run) every target ended clean, holding at most what was kept.
 */
import type { Anchor } from '../fs/anchor.js'
import type { Policy } from './policy.js'
import { scanTarget, type Plan } from './plan.js'
import type { Outcome } from './execute.js'
import { diffFingerprints, takeFingerprint, type Fingerprint, type FpChange, type ProtectedRoot } from './fingerprint.js'

export interface Verification {
  /** Protected entries fingerprinted before the purge. */
  checked: number
  missing: string[]
  changed: FpChange[]
  /** Targets still there after the purge, with the deletable entries left inside (0: only the target itself). */
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
      const again = await scanTarget(rootDir, t.path, policy)
      const left = again.status === 'present' ? again.files + again.others + again.dirs : 0
      // The counts include the target itself when it would go (nothing in it stays): say what is inside.
      const itself = again.kind === 'dir' ? (again.keptDirs === 0 ? 1 : 0) : 1
      if (left > 0) leftovers.push({ path: t.path, remaining: left - itself })
    }
  }
  return { checked: before.entries.size, missing, changed, leftovers, protectedRoots: after.roots }
}
