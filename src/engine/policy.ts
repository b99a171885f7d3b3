/**
 * What may be deleted. Protected patterns use gitignore semantics through `ignore`: a pattern
 * without a slash matches that whole segment at any depth (so `models` protects `a/models/x`
 * but not `data/modelsx`), and a match on a directory covers everything beneath it.
 * The built-in patterns live in their own matcher so a user's `!pattern` can never unprotect them.
 */
import ignore, { type Ignore } from 'ignore'
import { fail } from '../common/errors.js'
import { ACTION_NAMES, type OptionNames } from '../common/options.js'

export const BUILTIN_PROTECTED: readonly string[] = [
  'models',
  'config',
  'src',
  'scripts',
  'docs',
  '.git',
  '.gitignore',
  '.env',
  '.env.example',
  'requirements.txt',
  'Dockerfile.strategy',
  'Dockerfile.api',
  'docker-compose.prod.yml'
]

/** safe-purge's own lock file in the root (see lock.ts); never a target. */
export const LOCK_FILE = '.safe-purge.lock'

/** safe-purge's trash in the root (strategy move, see trash.ts); never a target, never protected or fingerprinted. */
export const TRASH_DIR = '.safe-purge-trash'

export interface Policy {
  /** Built-in and extra patterns, and the exact root-relative files protected for this run. */
  readonly builtin: readonly string[]
  readonly extra: readonly string[]
  readonly exact: readonly string[]
  /** True when the root-relative path (or one of its parents) is protected. */
  isProtected(rel: string, isDir: boolean): boolean
  /**
   * The same answer for an entry whose parent is known not to be protected (what a walk knows):
   * name patterns then only need the entry's own name, which is much cheaper on large trees.
   */
  isProtectedChild(rel: string, isDir: boolean): boolean
  /** isProtectedChild for entry `name` of directory `dirRel` (root-relative; '' for the root itself). */
  isProtectedIn(dirRel: string, name: string, isDir: boolean): boolean
  /**
   * When every pattern matches one literal name at any depth (the built-ins, plain extra names):
   * those names, lowercased (`dirNames` match directories only). Null otherwise: only a walk
   * through this policy can then tell what a tree holds.
   */
  readonly literalNames: { names: string[]; dirNames: string[] } | null
}

/** How many paths a matcher may cache before it is rebuilt (`ignore` caches every path it sees). */
const MATCHER_CACHE_LIMIT = 20000

/** A pattern that can only match a single path segment (no slash but a trailing one). */
function isNamePattern(p: string): boolean {
  return !p.replace(/\/+$/, '').includes('/')
}

/** A name pattern with no wildcard, escape, negation or comment: it matches one literal name. */
function isLiteralName(p: string): boolean {
  return isNamePattern(p) && !/[*?[\]\\!#]/.test(p) && p.trim() === p
}

/** `exact` are root-relative files in use by this run (compose files, the config file). */
export function createPolicy(extra: readonly string[], exact: readonly string[] = [], names: OptionNames = ACTION_NAMES): Policy {
  const cleanExtra = extra.map((p, i) => checkPattern(p, i, names('protected')))
  const exactSet = new Set(exact)
  // Last segments of the exact paths: most entries are ruled out without hashing their whole path.
  const exactNames = new Set(exact.map((p) => p.slice(p.lastIndexOf('/') + 1)))
  // With only positive name patterns, an entry under an unprotected parent is decided by its name.
  const extraByName = cleanExtra.every((p) => !p.startsWith('!') && isNamePattern(p))
  // Literal names (every built-in, usually the extras too) are a set lookup, not a pattern match.
  // `ignore` matches case-insensitively by default; the sets do the same, so they never protect less.
  const literal = extraByName && cleanExtra.every(isLiteralName)
  const anyNames = new Set([...BUILTIN_PROTECTED, ...cleanExtra].filter((p) => !p.endsWith('/')).map((p) => p.toLowerCase()))
  const dirNames = new Set(cleanExtra.filter((p) => p.endsWith('/')).map((p) => p.replace(/\/+$/, '').toLowerCase()))
  let calls = 0
  let builtinMatcher: Ignore = ignore().add([...BUILTIN_PROTECTED])
  let extraMatcher: Ignore = ignore().add(cleanExtra)
  // Memory stays flat on a million-file walk: the matchers' caches are dropped now and then.
  const matchers = (): [Ignore, Ignore] => {
    if (++calls > MATCHER_CACHE_LIMIT) {
      calls = 0
      builtinMatcher = ignore().add([...BUILTIN_PROTECTED])
      extraMatcher = ignore().add(cleanExtra)
    }
    return [builtinMatcher, extraMatcher]
  }
  return {
    builtin: BUILTIN_PROTECTED,
    extra: cleanExtra,
    exact: [...exactSet],
    literalNames: literal ? { names: [...anyNames], dirNames: [...dirNames] } : null,
    isProtected(rel: string, isDir: boolean): boolean {
      if (exactSet.has(rel)) return true
      const probe = isDir ? `${rel}/` : rel
      const [b, e] = matchers()
      return b.ignores(probe) || e.ignores(probe)
    },
    isProtectedChild(rel: string, isDir: boolean): boolean {
      return childDecision(rel.slice(rel.lastIndexOf('/') + 1), isDir, rel, '')
    },
    isProtectedIn(dirRel: string, name: string, isDir: boolean): boolean {
      return childDecision(name, isDir, null, dirRel)
    }
  }

  /** isProtectedChild's answer; the entry's path is `rel`, or built from `dirRel` only when needed. */
  function childDecision(name: string, isDir: boolean, rel: string | null, dirRel: string): boolean {
    if (exactNames.has(name) && exactSet.has(rel ?? joinRel(dirRel, name))) return true
    if (literal) {
      const lower = name.toLowerCase()
      return anyNames.has(lower) || (isDir && dirNames.has(lower))
    }
    const [b, e] = matchers()
    // Every built-in is a name pattern, so the name alone decides.
    if (b.ignores(isDir ? `${name}/` : name)) return true
    if (cleanExtra.length === 0) return false
    if (extraByName) return e.ignores(isDir ? `${name}/` : name)
    const p = rel ?? joinRel(dirRel, name)
    return e.ignores(isDir ? `${p}/` : p)
  }
}

function joinRel(dirRel: string, name: string): string {
  return dirRel === '' ? name : `${dirRel}/${name}`
}

/** A protected pattern as given: not empty, no NUL (`opt` names where it was written). */
export function checkPattern(pattern: string, index: number, opt: string): string {
  if (typeof pattern !== 'string' || pattern.includes('\0')) {
    throw fail('ERR_BAD_PATTERN', `${opt} pattern #${index + 1} is not a valid pattern: remove it from ${opt}`)
  }
  const p = pattern.trim()
  if (p === '') throw fail('ERR_BAD_PATTERN', `${opt} pattern #${index + 1} is empty: remove the blank entry from ${opt}`)
  return p
}

/**
 * Validates and normalizes the ephemeral entries before anything is touched. Each must be a plain
 * root-relative path (a leading `./` and trailing `/` are tolerated), not protected, not the root.
 * Entries nested in another entry are dropped (the outer one covers them).
 */
export function validateTargets(entries: readonly string[], policy: Policy, names: OptionNames = ACTION_NAMES): string[] {
  const opt = names('ephemeral')
  if (entries.length === 0) {
    throw fail('ERR_NO_TARGETS', `${opt} is empty: list at least one root-relative path to purge (e.g. logs)`)
  }
  const normalized = entries.map((e) => normalizeTarget(e, policy, opt))
  const unique = [...new Set(normalized)].sort()
  // A protected path inside a target (`logs/keep/`, `data/temp/*.ckpt`, a compose file) is kept by
  // the walk with the directories leading to it, like a name pattern's match, and verified after.
  return unique.filter((t) => !unique.some((o) => o !== t && t.startsWith(`${o}/`)))
}

function normalizeTarget(entry: string, policy: Policy, opt: string): string {
  const shown = JSON.stringify(entry)
  const bad = (why: string): Error => fail('ERR_BAD_TARGET', `${opt} entry ${shown} ${why}`)
  if (typeof entry !== 'string') throw bad('is not a string: list root-relative paths such as logs')
  if (entry.includes('\0')) throw bad(`contains a NUL byte: remove it from ${opt}`)
  const trimmed = entry.trim()
  if (trimmed === '') throw bad(`is empty: remove the blank entry from ${opt}`)
  // `ephemeral: logs, data/redis` in YAML is one string: purging "a path named that" would find
  // nothing and report success.
  if (/,\s/.test(trimmed) || /^\[.*\]$/.test(trimmed)) {
    throw bad(`looks like several paths on one line: give one path per line (one per line in the input, a YAML list in the config file, or ${opt} once per path)`)
  }
  if (trimmed.startsWith('/')) throw bad('is absolute: give it relative to root (e.g. logs, not /app/logs)')
  if (trimmed.startsWith('~')) throw bad('starts with ~, which is not expanded: give it relative to root')
  const rel = trimmed.replace(/^(\.\/)+/, '').replace(/\/+$/, '')
  if (rel === '' || rel === '.') throw bad('is the root itself: safe-purge never removes the root; name the subpaths to purge')
  const segments = rel.split('/')
  if (segments.includes('..')) throw bad('contains "..": targets must stay inside root')
  if (segments.some((s) => s === '' || s === '.')) throw bad('is not a plain path (empty or "." segment): write it like data/redis')
  if (rel === LOCK_FILE || rel.startsWith(`${LOCK_FILE}.`)) throw bad(`is safe-purge's own lock file: remove it from ${opt}`)
  if (rel === TRASH_DIR || rel.startsWith(`${TRASH_DIR}/`)) throw bad(`is safe-purge's own trash, which runs delete themselves: remove it from ${opt}`)
  if (policy.isProtected(rel, true) || policy.isProtected(rel, false)) {
    throw fail('ERR_TARGET_PROTECTED', `${opt} entry ${shown} is protected: remove it from ${opt} (protected paths are never purged)`)
  }
  return rel
}
