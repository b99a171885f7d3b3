/**
 * `.safe-purge.yml` in the root (or the file named by `config`, wherever it is) -> partial options.
 * Same keys as the action's inputs. YAML 1.2 core schema, so `yes`/`on` are strings, not booleans;
 * `"true"` and `"false"` (quoted) are read as booleans, like the action's own string inputs.
 * Unknown keys and wrongly typed values are errors that name the key. `force` and `confirm` are
 * refused: confirmation comes from whoever starts the run, never from a file in the repository;
 * so is `privileged-image`, which runs as root.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fail, errorMessage } from '../common/errors.js'
import { ACTION_NAMES, type OptionName, type OptionNames } from '../common/options.js'
import { closest } from './suggest.js'
import { checkPattern } from './policy.js'
import { loadYaml, parseYaml } from '../common/yaml.js'
import { OPTION_KINDS, parseBoolean, parseDockerMode, parseOption, parsePrivilegedMode, parseSeconds, parseStrategy, parseTrashTiming, refuseBlank } from './settings.js'
import type { OptionKey, PartialOptions } from '../common/options.js'

export const DEFAULT_CONFIG_FILE = '.safe-purge.yml'

/** The keys a config file may set: every option but those that confirm a run or pick what runs as root. */
export const CONFIG_KEYS: readonly string[] = Object.keys(OPTION_KINDS).filter((k) => k !== 'force' && k !== 'confirm' && k !== 'privileged-image')

export interface LoadedConfig {
  /**
   * The file read: root-relative when it lies inside the root (it is then protected like the
   * compose files), absolute when it lies elsewhere; null when there was none.
   */
  file: string | null
  options: PartialOptions
}

/**
 * `requested` is the `config` input ('' for the default file, which may be absent). A relative
 * path is relative to the root. A file named explicitly may live outside the root (one fleet.yml
 * shared by many environments): the file is only read, it can neither skip confirmation nor pick
 * what runs as root, and its protected patterns only add up; the default file is the root's own.
 */
export async function loadConfig(root: string, requested: string, names: OptionNames = ACTION_NAMES): Promise<LoadedConfig> {
  const explicit = requested.trim() !== ''
  const given = explicit ? requested.trim() : DEFAULT_CONFIG_FILE
  const file = path.resolve(root, given)
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !explicit) return { file: null, options: {} }
    const where = path.isAbsolute(given) ? '' : ` (relative to the root: ${file})`
    throw fail('ERR_CONFIG_READ', `config file ${JSON.stringify(given)}${where} cannot be read (${code ?? errorMessage(err)}): fix ${names('config')} or create the file`)
  }
  const shown = insideRoot(root, file) ?? file
  return { file: shown, options: await parseConfig(text, shown) }
}

/**
 * `file`'s path relative to the root when it lies inside it, else null: as named first (a link
 * inside the root is protected under the name given), else resolved (the root named through a
 * link, the file by its real path).
 */
function insideRoot(root: string, file: string): string | null {
  const inside = (rel: string): string | null => (rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : null)
  const named = inside(path.relative(path.resolve(root), file))
  if (named !== null) return named
  try {
    return inside(path.relative(fs.realpathSync(root), fs.realpathSync(file)))
  } catch {
    return null
  }
}

/**
 * Names an option for an error: the config file's key, with the file, when the value came from
 * there (the side did not set it); else the side's own name (the input, or the CLI flag).
 */
export function namesWithConfig(side: OptionNames, fromSide: PartialOptions, config: LoadedConfig): OptionNames {
  return (key: OptionName) =>
    key !== 'root' && key !== 'config' && config.file !== null && fromSide[key] === undefined && config.options[key] !== undefined
      ? `${key} (in config file ${config.file})`
      : side(key)
}

export async function parseConfig(text: string, file: string): Promise<PartialOptions> {
  await loadYaml()
  let doc: unknown
  try {
    doc = parseYaml(text, { version: '1.2', schema: 'core', uniqueKeys: true })
  } catch (err) {
    throw fail('ERR_CONFIG_YAML', `config file ${file} is not valid YAML: ${errorMessage(err).split('\n')[0]}`)
  }
  if (doc === null || doc === undefined) return {}
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw fail('ERR_CONFIG_SHAPE', `config file ${file} must be a mapping of option: value`)
  }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (key === 'force' || key === 'confirm') {
      // A file committed to the repository must not switch off the confirmation that guards a purge.
      throw fail('ERR_CONFIG_KEY', `config file ${file}: ${key} cannot be set in the config file (a committed file must not skip confirmation); set it where the run starts (the action's ${key} input, or the CLI's --force)`)
    }
    if (key === 'privileged-image') {
      // The image runs as root with the root mounted: a file in the repository must not pick it,
      // or a commit could run code that ignores every protected pattern.
      throw fail('ERR_CONFIG_KEY', `config file ${file}: privileged-image cannot be set in the config file (the image runs as root on the root's files); set it where the run starts (the action's privileged-image input, or the CLI's --privileged-image)`)
    }
    if (!Object.hasOwn(OPTION_KINDS, key)) {
      const near = closest(key, CONFIG_KEYS)
      const hint =
        key === 'root' || key === 'config' ? `${key} cannot be set in the config file (it locates the file)`
        : `${near ? `did you mean ${near}? ` : ''}the file accepts: ${CONFIG_KEYS.join(', ')}`
      throw fail('ERR_CONFIG_KEY', `config file ${file}: unknown key ${JSON.stringify(key)}; ${hint}`)
    }
    out[key] = convert(key as OptionKey, value, `${file}: ${key}`)
  }
  return out as PartialOptions
}

function convert(key: OptionKey, value: unknown, what: string): unknown {
  const kind = OPTION_KINDS[key]
  const wrong = (expected: string): Error => fail('ERR_CONFIG_VALUE', `config ${what} must be ${expected}, got ${JSON.stringify(value)}`)
  switch (kind) {
    case 'boolean':
      // Quoted "true" reads as the action's own inputs do (they are strings): the same spellings.
      if (typeof value === 'string') return parseBoolean(value.trim(), `config ${what}`)
      if (typeof value !== 'boolean') throw wrong('true or false')
      return value
    case 'seconds':
      if (typeof value !== 'number' && typeof value !== 'string') throw wrong('a number of seconds')
      return parseSeconds(String(value), `config ${what}`)
    case 'docker':
      if (typeof value !== 'string') throw wrong('auto, required or off')
      return parseDockerMode(value, `config ${what}`)
    case 'privileged':
      if (typeof value !== 'string') throw wrong('auto, sudo, container or off')
      return parsePrivilegedMode(value, `config ${what}`)
    case 'strategy':
      if (typeof value !== 'string') throw wrong('purge or move')
      return parseStrategy(value.trim(), `config ${what}`)
    case 'trash':
      if (typeof value !== 'string') throw wrong('later or now')
      return parseTrashTiming(value.trim(), `config ${what}`)
    case 'list': {
      let list: string[]
      if (typeof value === 'string') {
        if (value.trim() === '') refuseBlank(key, `config ${what}`)
        list = parseOption(key, value, what) as string[]
      } else {
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw wrong('a list of strings')
        list = value
      }
      // Protected patterns add up from the file and the side: the policy's own check runs here too,
      // so that a bad pattern is named where it was written, not after the merge.
      if (key === 'protected') list.forEach((p, i) => checkPattern(p, i, `config ${what}`))
      return list
    }
    case 'string':
      if (typeof value !== 'string' && typeof value !== 'number') throw wrong('a string')
      if (String(value).trim() === '') refuseBlank(key, `config ${what}`)
      return String(value).trim()
  }
}
