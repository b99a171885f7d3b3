/** Runs the real engine quietly on a temp root. */
import { run, confirmByName, type Logger, type RunDeps } from '../../src/engine/run.js'
import { buildSettings } from '../../src/engine/settings.js'
import type { PartialOptions } from '../../src/common/options.js'
import type { Report } from '../../src/engine/report.js'
import { Anchor, leaveCwd } from '../../src/fs/anchor.js'

export interface Captured {
  info: string[]
  warnings: string[]
  errors: string[]
}

export function quietLogger(): Logger & { captured: Captured } {
  const captured: Captured = { info: [], warnings: [], errors: [] }
  return {
    captured,
    info: (l) => void captured.info.push(l),
    warning: (l) => void captured.warnings.push(l),
    error: (l) => void captured.errors.push(l),
    group: (_name, fn) => fn()
  }
}

export async function purge(root: string, options: PartialOptions = {}, deps: Partial<RunDeps> = {}): Promise<Report> {
  const settings = buildSettings(root, null, { docker: 'off', force: true, ...options })
  return run(settings, { log: quietLogger(), env: process.env, confirm: confirmByName, ...deps })
}

/** Runs `fn` with `root` opened as the engine opens it, and closes it (and leaves it) after. */
export async function withAnchor<T>(root: string, fn: (dir: Anchor) => Promise<T>): Promise<T> {
  const dir = Anchor.open(root)
  try {
    return await fn(dir)
  } finally {
    dir.close()
    leaveCwd()
  }
}
