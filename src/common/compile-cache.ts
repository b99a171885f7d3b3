/**
 * Where Node's compile cache for safe-purge's bundles lives: a directory that survives between
 * runs on a self-hosted runner. SAFE_PURGE_COMPILE_CACHE names another (or `off`); else the
 * runner's tool cache (RUNNER_TOOL_CACHE, kept between jobs), else XDG_CACHE_HOME or ~/.cache.
 * Node keys the cache by its version and each file's content, so a new bundle never reads an old entry.
 */
import module from 'node:module'
import os from 'node:os'
import path from 'node:path'

export function compileCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const set = env.SAFE_PURGE_COMPILE_CACHE
  if (set === 'off' || set === '0') return undefined
  if (set) return set
  const base = env.RUNNER_TOOL_CACHE || env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return path.join(base, 'safe-purge', 'compile-cache')
}

/** Turns the cache on where Node has it (22.1+); a cache that cannot be used changes nothing. */
export function enableCompileCache(env: NodeJS.ProcessEnv): void {
  const enable = (module as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache
  const dir = compileCacheDir(env)
  if (enable === undefined || dir === undefined) return
  try {
    enable(dir)
  } catch {
    // no cache: it starts as before
  }
}
