/**
 * What a run checks before it changes anything, beyond validating each option: options that
 * contradict each other, a root that does not look like an environment, and what a person should
 * hear about targets that are not there. Refusals throw a coded error naming the option to change.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { RootInfo } from '../fs/root-guard.js'
import { lookupTarget } from '../fs/lookup.js'
import type { Anchor } from '../fs/anchor.js'
import { DEFAULT_COMPOSE_FILES, PROD_COMPOSE_FILE } from '../docker/compose-files.js'
import { fail } from '../common/errors.js'
import { showPath } from '../common/text.js'
import type { OptionName, OptionNames } from '../common/options.js'
import type { Plan } from './plan.js'
import { DEFAULT_EPHEMERAL, rootConfigFile, type Settings } from './settings.js'
import { closestPath } from './suggest.js'

/** What makes a directory recognizably an environment: a config or compose file, or what it protects. */
const ENVIRONMENT_SIGNS = ['models', '.env', '.git', ...DEFAULT_COMPOSE_FILES, PROD_COMPOSE_FILE]

export function refuseUnknownRoot(root: RootInfo, settings: Settings, composeFiles: readonly string[], names: OptionNames): void {
  // A config file outside the root (a shared fleet file) says nothing about this directory.
  if (rootConfigFile(settings) !== null || composeFiles.length > 0) return
  if (ENVIRONMENT_SIGNS.some((n) => fs.existsSync(path.join(root.path, n)))) return
  throw fail(
    'ERR_NOT_AN_ENVIRONMENT',
    `refusing to purge ${showPath(root.path)}: it shows no sign of being an environment (no config or compose file, no models/, .env or .git); run this from the environment's root, or name it with ${names('root')}`
  )
}

/** Options that cannot both hold: refused before anything is looked at, naming both. */
export function refuseContradictions(settings: Settings, names: OptionNames): void {
  const both = (a: OptionName, b: string, why: string): never => {
    throw fail('ERR_CONFLICT', `${names(a)} and ${b} contradict each other: ${why}; drop one of them`)
  }
  if (settings.full && settings.docker === 'off') both('full', `${names('docker')} off`, 'full removes the stack\'s volumes, which needs docker')
  if (settings.full && settings.keepRunning) both('full', names('keep-running'), 'full removes the stack\'s volumes, which needs the stack stopped')
  if (settings.services.length > 0 && settings.docker === 'off') both('services', `${names('docker')} off`, 'resetting services needs docker')
  if (settings.services.length > 0 && settings.keepRunning) both('services', names('keep-running'), 'services are reset by stopping them')
}

/**
 * What a person should hear about targets that are not there: a listed one that does not exist
 * (with the existing path it most likely meant), and plainly when there is nothing to purge at all.
 */
export function missingTargets(plan: Plan, root: string, settings: Settings, names: OptionNames): string[] {
  const out: string[] = []
  const listed = settings.ephemeral.join('\n') !== DEFAULT_EPHEMERAL.join('\n')
  for (const t of plan.targets) {
    if (t.status !== 'missing' || !listed) continue
    const near = closestPath(root, t.path)
    out.push(`${names('ephemeral')} entry ${JSON.stringify(t.path)} does not exist${near ? `: did you mean ${showPath(near)}?` : ''}`)
  }
  if (plan.targets.every((t) => t.status === 'missing')) {
    out.push(`nothing to purge: none of the ${plan.targets.length} target(s) exists in root (${plan.targets.map((t) => showPath(t.path)).join(', ')})`)
  }
  return out
}

/** The seed's pre-flight: say when the precious things are absent, without failing. */
export function preflight(rootDir: Anchor): string[] {
  const out: string[] = []
  for (const p of ['models', '.env']) {
    const found = lookupTarget(rootDir, p)
    if (found.found) found.target.parent.close()
    else if (found.missing) out.push(`preflight: ${p} is absent from root (nothing to protect there); check that root is the right directory`)
  }
  return out
}
