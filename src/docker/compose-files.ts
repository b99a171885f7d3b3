/**
 * Finding the Compose stack of a root without running docker: which files, which project name,
 * which volumes the files declare external. Mirrors Compose's own rules.
 */
import fs from 'node:fs'
import { ACTION_NAMES, type OptionNames } from '../common/options.js'
import path from 'node:path'
import { parseYaml } from '../common/yaml.js' // callers await loadYaml() first
import { fail } from '../common/errors.js'

/** Compose's default file names, in its order of preference (compose-go's DefaultFileNames). */
export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml']
/** Override files Compose adds to the default file (the first one found), as `up` without -f did. */
export const OVERRIDE_COMPOSE_FILES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml']
/**
 * The seed's production file (`docker-compose -f docker-compose.prod.yml up -d`): a standalone
 * file, used alone when it is the only compose file; never merged over the default file.
 */
export const PROD_COMPOSE_FILE = 'docker-compose.prod.yml'

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

/**
 * Root-relative compose files in use: the given ones (which must exist), else what Compose reads
 * without -f (the first default file, plus the first override file), else the seed's prod file.
 */
export function findComposeFiles(root: string, given: readonly string[], names: OptionNames = ACTION_NAMES): string[] {
  if (given.length > 0) {
    return given.map((f) => {
      const rel = f.trim().replace(/^(\.\/)+/, '')
      // The path is protected by exact match, so it must be written the way the walker sees it.
      if (rel === '' || path.isAbsolute(rel) || rel.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
        throw fail('ERR_COMPOSE_FILE', `${names('compose-file')} ${JSON.stringify(f)} must be a plain path inside root, relative to it (e.g. deploy/compose.yaml)`)
      }
      if (!isFile(path.join(root, rel))) {
        throw fail('ERR_COMPOSE_FILE', `${names('compose-file')} ${JSON.stringify(f)} does not exist in root: fix ${names('compose-file')} or leave it empty to use the default files`)
      }
      return rel
    })
  }
  const found: string[] = []
  const first = DEFAULT_COMPOSE_FILES.find((f) => isFile(path.join(root, f)))
  if (first) {
    found.push(first)
    const override = OVERRIDE_COMPOSE_FILES.find((f) => isFile(path.join(root, f)))
    if (override) found.push(override)
  }
  else if (isFile(path.join(root, PROD_COMPOSE_FILE))) found.push(PROD_COMPOSE_FILE)
  return found
}

/** Compose's normalization: lowercase, keep only a-z 0-9 - _, and start with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '')
}

interface ComposeDoc {
  name?: unknown
  services?: Record<string, unknown> | null
  volumes?: Record<string, { external?: unknown; name?: unknown } | null>
}

/** The services the files declare (the union over the files, in order of appearance). */
export function declaredServices(root: string, files: readonly string[], names: OptionNames = ACTION_NAMES): string[] {
  const out = new Set<string>()
  for (const f of files) {
    const services = readDoc(root, f, names).services
    if (services && typeof services === 'object') for (const s of Object.keys(services)) out.add(s)
  }
  return [...out]
}

function readDoc(root: string, file: string, names: OptionNames = ACTION_NAMES): ComposeDoc {
  try {
    const doc = parseYaml(fs.readFileSync(path.join(root, file), 'utf8'))
    return doc && typeof doc === 'object' ? (doc as ComposeDoc) : {}
  } catch (err) {
    throw fail('ERR_COMPOSE_PARSE', `compose file ${file} cannot be parsed (${(err as Error).message.split('\n')[0]}): fix it or set ${names('docker')} to off`)
  }
}

/**
 * COMPOSE_PROJECT_NAME from the `.env` file of the project directory, which Compose (v1 and v2)
 * reads for its own settings: `up` then runs under that name. Last assignment wins, as in Compose.
 */
export function dotEnvProjectName(projectDir: string, names: OptionNames = ACTION_NAMES): string {
  let text: string
  try {
    text = fs.readFileSync(path.join(projectDir, '.env'), 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return ''
    throw fail('ERR_COMPOSE_ENV', `cannot read ${path.join(projectDir, '.env')} (${code}), where Compose may set COMPOSE_PROJECT_NAME: make it readable or set ${names('compose-project')}`)
  }
  let name = ''
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?COMPOSE_PROJECT_NAME\s*=\s*(.*)$/.exec(line)
    if (!m) continue
    const v = m[1]
    const quoted = /^(["'])(.*?)\1/.exec(v)
    name = (quoted ? quoted[2] : v.replace(/\s+#.*$/, '')).trim()
  }
  return name
}

/** A name Compose accepts as is: lowercase a-z 0-9 - _, starting with a letter or digit. */
export const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/

/**
 * Project name, by Compose's precedence: the compose-project input (-p), else COMPOSE_PROJECT_NAME
 * from the environment, else from the project directory's `.env`, else the last top-level `name:`
 * among the files (later files override earlier ones), else the name of the project directory
 * (the folder of the first compose file; the root when there is none). The input must already be
 * a valid name: normalizing what an operator typed could name, and stop, a different project.
 */
export function projectName(root: string, files: readonly string[], given: string, env: NodeJS.ProcessEnv, names: OptionNames = ACTION_NAMES): string {
  const explicit = given.trim()
  if (explicit !== '') {
    if (VALID_PROJECT_NAME.test(explicit)) return explicit
    throw fail(
      'ERR_COMPOSE_PROJECT',
      `${names('compose-project')} ${JSON.stringify(given)} is not a valid Compose project name (only a-z, 0-9, - and _, starting with a letter or digit): set ${names('compose-project')} to the exact name the stack runs under, as docker compose ls or the containers' com.docker.compose.project label show it`
    )
  }
  const projectDir = files.length > 0 ? path.dirname(path.join(root, files[0])) : root
  let raw = (env.COMPOSE_PROJECT_NAME ?? '').trim() || dotEnvProjectName(projectDir, names)
  if (raw === '') {
    for (const f of files) {
      const n = readDoc(root, f, names).name
      if (typeof n === 'string' && n.trim() !== '') raw = n.trim()
    }
  }
  if (raw === '') raw = path.basename(projectDir)
  const name = normalizeProjectName(raw)
  if (name === '') {
    throw fail('ERR_COMPOSE_PROJECT', `compose project name ${JSON.stringify(raw)} has no usable characters: set ${names('compose-project')}`)
  }
  return name
}

/** The volumes the compose files declare. */
export interface DeclaredVolumes {
  /** Keys declared external (`external: true`, or the legacy `external: {name: ...}`). */
  keys: Set<string>
  /** The real names those external keys refer to. */
  names: Set<string>
  /** Every declared key -> the volume name the files give it (`name:`, an external's name), or null: Compose names it `<project>_<key>`. */
  byKey: Map<string, string | null>
}

/**
 * Volume keys declared external and the real names they refer to, and the name of every declared
 * volume: a volume by such a name may exist without this project's label (an external one, or one
 * Compose adopted), and the report shows it as kept.
 */
export function externalVolumes(root: string, files: readonly string[], names: OptionNames = ACTION_NAMES): DeclaredVolumes {
  const out: DeclaredVolumes = { keys: new Set(), names: new Set(), byKey: new Map() }
  for (const f of files) {
    const vols = readDoc(root, f, names).volumes
    if (!vols || typeof vols !== 'object') continue
    for (const [key, def] of Object.entries(vols)) {
      const ext = def?.external
      const own = typeof def?.name === 'string' ? def.name : null
      if (ext === true || (ext && typeof ext === 'object')) {
        const extName = ext && typeof ext === 'object' ? (ext as { name?: unknown }).name : undefined
        const name = own ?? (typeof extName === 'string' ? extName : key)
        out.keys.add(key)
        out.names.add(name)
        out.byKey.set(key, name)
      } else if (!out.keys.has(key) && (own !== null || !out.byKey.has(key))) {
        // Later files merge into earlier definitions: a bare mention keeps the earlier name.
        out.byKey.set(key, own)
      }
    }
  }
  return out
}
