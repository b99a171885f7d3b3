/**
 * Strategy move, the executor's half: renaming targets into the run's trash, deleting a trash
 * with the same anchored walk as a purge, and putting back what must not be there.
 *
 * - A move is one rename between opened directories (fs/move.ts), so a target's path is gone at
 *   once, whatever it holds. A target directory that stays (remove-target-dirs off) is swapped, in
 *   one RENAME_EXCHANGE, with an empty directory made in the trash with its owner, mode and ACLs:
 *   the path never lacks a directory nor names a half-built one. A move that fails leaves the
 *   target where it was: it is then purged in place.
 * - The trash purge walks each moved entry with `rel` set to its original path, so the policy
 *   keeps exactly what it would have kept in the target. What it keeps there (a protected entry
 *   that appeared after the move was decided; a mount point) is renamed back to its original
 *   place when that is free, else left in the trash; either way the purge fails loudly.
 */
import fs from 'node:fs'
import type { Policy } from './policy.js'
import { lstatAt, rmdirAt, sameNode, unlinkAt, type Anchor } from '../fs/anchor.js'
import { openCheckedDir } from '../fs/lookup.js'
import { kindOf } from '../fs/entries.js'
import { cloneDirMeta, renameAt } from '../fs/move.js'
import type { WalkEntry } from './walk.js'
import { addTally, emptyHeldTally, emptyTally, type HeldTally, type Tally } from './plan.js'
import { emptyOutcome, purgeHow, purgeTree, toDeleteError, type DeleteError, type ExecuteOptions, type TargetOutcome } from './execute.js'
import { isRunFile, openTrash, readManifest, type TrashManifest } from './trash.js'
import { errorMessage } from '../common/errors.js'
import { showPath } from '../common/text.js'

/** Where this run moves its targets: the run's trash directory and its manifest. */
export interface MoveInto {
  runDir: Anchor
  manifest: TrashManifest
  /** Why a target that was to move was purged in place instead, by path. */
  notes: Map<string, string>
  /** Test seam: called just before a target is renamed (to stage a protected entry appearing). */
  beforeRename?: (rel: string) => void
}

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException)?.code ?? 'UNKNOWN'

/**
 * Moves target `top` (found and checked to be the planned node) into the trash. Returns false
 * (nothing changed) when it cannot: the caller purges it in place. A target directory that stays
 * (`keepDir`) is swapped, in one RENAME_EXCHANGE, with an empty directory made in the trash with
 * its owner, mode and ACLs: its path never lacks a directory, and nothing is left half done.
 */
export function moveToTrash(into: MoveInto, top: WalkEntry, out: TargetOutcome, keepDir: boolean): boolean {
  const entry = into.manifest.targets.find((t) => t.path === top.rel)
  if (entry === undefined) return false
  const dest = Buffer.from(entry.name)
  const note = (why: string): false => {
    into.notes.set(top.rel, why)
    return false
  }
  into.beforeRename?.(top.rel)
  if (!(keepDir && top.kind === 'dir')) {
    try {
      renameAt(top.parent, top.name, into.runDir, dest, 'noreplace')
    } catch (err) {
      return note(`its rename into the trash failed (${codeOf(err)})`)
    }
    out.result = 'moved'
    return true
  }
  try {
    fs.mkdirSync(into.runDir.child(dest), 0o700)
  } catch (err) {
    return note(`its empty replacement could not be made (${codeOf(err)})`)
  }
  try {
    const src = openCheckedDir(top.parent, top.name, top.st)
    try {
      const dst = into.runDir.openChild(dest)
      try {
        cloneDirMeta(src, dst)
      } finally {
        dst.close()
      }
    } finally {
      src.close()
    }
    renameAt(top.parent, top.name, into.runDir, dest, 'exchange')
  } catch (err) {
    try {
      rmdirAt(into.runDir, dest)
    } catch {
      // not made, or not empty: the trash purge finds it
    }
    return note(`it could not be swapped with an empty directory carrying its owner, mode and ACLs (${codeOf(err)})`)
  }
  out.keptTarget = true
  out.result = 'moved'
  return true
}

/** What deleting one run's trash did. */
export interface TrashPurge {
  run: string
  /** Each moved target, by its original path: what was deleted from the trash. */
  targets: TargetOutcome[]
  totals: Tally & HeldTally
  /** Protected entries (or mount points) found in the trash and renamed back to where they were. */
  restored: { path: string; reason: string }[]
  /** What had to stay in the trash (its original place was taken, or it is a mount point). */
  left: { path: string; reason: string }[]
  errors: DeleteError[]
  failures: string[]
  /** Everything is gone, the run's directory too. */
  done: boolean
  cancelled: boolean
}

/**
 * Deletes the run directory `run` of the trash (claimed by the caller), every entry judged under
 * its original path by `policyFor(manifest)` (the caller's patterns with the manifest's).
 */
export async function purgeTrashRun(rootDir: Anchor, trash: Anchor, run: string, policyFor: (m: TrashManifest) => Policy, opts: ExecuteOptions = {}): Promise<TrashPurge> {
  const result: TrashPurge = { run, targets: [], totals: { ...emptyTally(), ...emptyHeldTally() }, restored: [], left: [], errors: [], failures: [], done: false, cancelled: false }
  let runDir: Anchor
  try {
    runDir = trash.openChild(Buffer.from(run))
  } catch (err) {
    if (codeOf(err) === 'ENOENT') {
      result.done = true
      return result
    }
    result.failures.push(`trash ${run}: cannot be opened: ${errorMessage(err)}`)
    return result
  }
  try {
    const manifest = readManifest(runDir)
    if (manifest === null || !sameNode(manifest.root, rootDir)) {
      result.failures.push(`trash ${run}: its manifest is missing, unreadable or names another root, so nothing in it can be judged by its original path; left as it is (delete ${showPath(`.safe-purge-trash/${run}`)} by hand after checking it)`)
      return result
    }
    let policy: Policy
    try {
      policy = policyFor(manifest)
    } catch (err) {
      result.failures.push(`trash ${run}: its manifest's protected patterns are not valid (${errorMessage(err)}); left as it is`)
      return result
    }
    const how = purgeHow(policy, opts, true)
    const known = new Set<string>(manifest.targets.map((t) => t.name))
    for (const t of manifest.targets) {
      let st: fs.Stats
      try {
        st = lstatAt(runDir, t.name)
      } catch (err) {
        if (codeOf(err) !== 'ENOENT') result.failures.push(`trash ${run}/${t.name} (${showPath(t.path)}): ${errorMessage(err)}`)
        continue
      }
      const out = emptyOutcome(t.path)
      const top: WalkEntry = { parent: runDir, name: t.name, rel: t.path, st, kind: kindOf(st) }
      await purgeTree(rootDir, top, out, how, () => {}, false)
      let restored = 0
      for (const k of out.kept) {
        const back = restore(rootDir, runDir, t, k.path, k.reason)
        ;(back.ok ? result.restored : result.left).push({ path: k.path, reason: back.why })
        if (back.ok) restored++
      }
      if (restored > 0 && !how.pacer.stopped) {
        // What led to the entries put back is empty now: it goes too.
        const again = emptyOutcome(t.path)
        try {
          const st2 = lstatAt(runDir, t.name)
          await purgeTree(rootDir, { ...top, st: st2, kind: kindOf(st2) }, again, how, () => {}, false)
          out.dirs += again.dirs
          out.errors.push(...again.errors)
        } catch (err) {
          if (codeOf(err) !== 'ENOENT') out.errors.push(toDeleteError(t.path, err))
        }
      }
      if (out.keptTotal > out.kept.length) result.left.push({ path: t.path, reason: `${out.keptTotal - out.kept.length} more protected entr(ies) were kept in the trash` })
      result.targets.push(out)
      addTally(result.totals, out)
      result.errors.push(...out.errors)
    }
    result.cancelled = how.pacer.stopped
    for (const name of fs.readdirSync(runDir.listPath())) {
      if (!known.has(name) && !isRunFile(name)) result.left.push({ path: `.safe-purge-trash/${run}/${name}`, reason: 'not a moved target (no original path): left as it is' })
    }
    for (const r of result.restored) result.failures.push(`protected ${showPath(r.path)} was found in the trash (it appeared in its target after the move was decided) and was put back: ${r.reason}`)
    for (const l of result.left) result.failures.push(`${showPath(l.path)} stays in the trash: ${l.reason}`)
    if (result.errors.length > 0) result.failures.push(`${result.errors.length} deletion error(s) in the trash; first: ${showPath(result.errors[0].path)}: ${showPath(result.errors[0].message)}`)
    if (result.cancelled) result.failures.push('cancelled while the trash was deleted: what was not reached stays in the trash for the next run')
    result.done = finish(trash, runDir, run)
  } finally {
    runDir.close()
  }
  return result
}

/** Removes the trash directory of a run that moved nothing after all (every move fell back). */
export function discardEmptyRun(rootDir: Anchor, run: string): void {
  const trash = openTrash(rootDir, false)
  if (trash === null) return
  try {
    const runDir = trash.openChild(Buffer.from(run))
    try {
      finish(trash, runDir, run)
    } finally {
      runDir.close()
    }
  } catch {
    // nothing to discard
  } finally {
    trash.close()
  }
}

/** Sets a run's trash aside as `<run>.kept` (what its deletion could not remove or put back). */
export function quarantine(trash: Anchor, run: string): boolean {
  try {
    renameAt(trash, Buffer.from(run), trash, Buffer.from(`${run}.kept`), 'noreplace')
    return true
  } catch {
    return false
  }
}

/** Removes the run's own files and directory once nothing else is in it. True when it is gone. */
function finish(trash: Anchor, runDir: Anchor, run: string): boolean {
  const names = fs.readdirSync(runDir.listPath())
  if (names.some((n) => !isRunFile(n))) return false
  for (const n of names) {
    try {
      unlinkAt(runDir, n)
    } catch {
      // not there
    }
  }
  try {
    rmdirAt(trash, Buffer.from(run))
    return true
  } catch {
    return false
  }
}

/**
 * Renames the kept entry `rel` (an original path inside target `t`) from the trash back to `rel`,
 * creating the directories that lead to it (each with its counterpart's mode in the trash), never
 * over anything that is there now.
 */
function restore(rootDir: Anchor, runDir: Anchor, t: { name: string; path: string }, rel: string, reason: string): { ok: boolean; why: string } {
  if (reason === 'mount-point') return { ok: false, why: 'it is a mount point (unmount it, then delete the trash entry)' }
  const inside = rel === t.path ? [] : rel.slice(t.path.length + 1).split('/')
  const targetSegs = t.path.split('/')
  const srcSegs = [t.name, ...inside]
  const dstSegs = [...targetSegs, ...inside]
  const opened: Anchor[] = []
  try {
    // Its directories in the trash: src[k] is srcSegs[k] (src[0] the moved target itself).
    const src: Anchor[] = []
    let from = runDir
    for (const seg of srcSegs.slice(0, -1)) {
      from = from.openChild(Buffer.from(seg))
      opened.push(from)
      src.push(from)
    }
    let to = rootDir
    for (const [j, seg] of dstSegs.slice(0, -1).entries()) {
      const name = Buffer.from(seg)
      try {
        to = to.openChild(name)
      } catch (err) {
        if (codeOf(err) !== 'ENOENT') throw err
        // Made again with its counterpart's mode in the trash (above the target: 0755).
        const counterpart = src[j - (targetSegs.length - 1)]
        fs.mkdirSync(to.child(name), counterpart ? fs.fstatSync(counterpart.fd).mode & 0o7777 : 0o755)
        to = to.openChild(name)
      }
      opened.push(to)
      if (!rootDir.sameMount(to)) return { ok: false, why: `${showPath(dstSegs.slice(0, j + 1).join('/'))} is now a mount point` }
    }
    renameAt(from, Buffer.from(srcSegs[srcSegs.length - 1]), to, Buffer.from(dstSegs[dstSegs.length - 1]), 'noreplace')
    return { ok: true, why: `renamed back to ${showPath(rel)}` }
  } catch (err) {
    const code = codeOf(err)
    return { ok: false, why: code === 'EEXIST' || code === 'ENOTEMPTY' ? `its original place ${showPath(rel)} is taken` : `it could not be put back (${code})` }
  } finally {
    for (const a of opened) a.close()
  }
}
