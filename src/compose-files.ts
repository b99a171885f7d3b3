/**
 * Finding the Compose stack of a root without running docker: which files, which project name,
 * which volumes the files declare external. Mirrors Compose's own rules.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { fail } from './errors.js'

/** Compose's default file names, in its order of preference. */
export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']
/** The seed's production file, added when present. */
export const PROD_COMPOSE_FILE = 'docker-compose.prod.yml'

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

/** Root-relative compose files in use: the given ones (which must exist), else the defaults found. */
export function findComposeFiles(root: string, given: readonly string[]): string[] {
  if (given.length > 0) {
    return given.map((f) => {
      const rel = f.trim().replace(/^(\.\/)+/, '')
      if (rel === '' || path.isAbsolute(rel) || rel.split('/').includes('..')) {
        throw fail('ERR_COMPOSE_FILE', `compose-file ${JSON.stringify(f)} must be a path inside root, relative to it (e.g. compose.yaml)`)
      }
      if (!isFile(path.join(root, rel))) {
        throw fail('ERR_COMPOSE_FILE', `compose-file ${JSON.stringify(f)} does not exist in root: fix compose-file or leave it empty to use the default files`)
      }
      return rel
    })
  }
  const found: string[] = []
  const first = DEFAULT_COMPOSE_FILES.find((f) => isFile(path.join(root, f)))
  if (first) found.push(first)
  if (isFile(path.join(root, PROD_COMPOSE_FILE))) found.push(PROD_COMPOSE_FILE)
  return found
}

/** Compose's normalization: lowercase, keep only a-z 0-9 - _, and start with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '')
}

interface ComposeDoc {
  name?: unknown
  volumes?: Record<string, { external?: unknown; name?: unknown } | null>
}

function readDoc(root: string, file: string): ComposeDoc {
  try {
    const doc = parse(fs.readFileSync(path.join(root, file), 'utf8')) as unknown
    return doc && typeof doc === 'object' ? (doc as ComposeDoc) : {}
  } catch (err) {
    throw fail('ERR_COMPOSE_PARSE', `compose file ${file} cannot be parsed (${(err as Error).message.split('\n')[0]}): fix it or set docker: off`)
  }
}

/**
 * Project name: the compose-project input, else COMPOSE_PROJECT_NAME, else the last top-level
 * `name:` among the files (later files override earlier ones), else the root folder's name.
 */
export function projectName(root: string, files: readonly string[], given: string, env: NodeJS.ProcessEnv): string {
  let raw = given.trim() || (env.COMPOSE_PROJECT_NAME ?? '').trim()
  if (raw === '') {
    for (const f of files) {
      const n = readDoc(root, f).name
      if (typeof n === 'string' && n.trim() !== '') raw = n.trim()
    }
  }
  if (raw === '') raw = path.basename(root)
  const name = normalizeProjectName(raw)
  if (name === '') {
    throw fail('ERR_COMPOSE_PROJECT', `compose project name ${JSON.stringify(raw)} has no usable characters: set compose-project`)
  }
  return name
}

/** Volume keys declared `external: true` and the real names they refer to. */
export function externalVolumes(root: string, files: readonly string[]): { keys: Set<string>; names: Set<string> } {
  const keys = new Set<string>()
  const names = new Set<string>()
  for (const f of files) {
    const vols = readDoc(root, f).volumes
    if (!vols || typeof vols !== 'object') continue
    for (const [key, def] of Object.entries(vols)) {
      const ext = def?.external
      if (ext === true || (ext && typeof ext === 'object')) {
        keys.add(key)
        const extName = ext && typeof ext === 'object' ? (ext as { name?: unknown }).name : undefined
        names.add(typeof def?.name === 'string' ? def.name : typeof extName === 'string' ? extName : key)
      }
    }
  }
  return { keys, names }
}
