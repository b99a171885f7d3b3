/**
 * What is running from this root, read from `docker inspect` of every container: the Compose
 * projects started from it (their containers' working_dir label is the root, compared by device
 * and inode, or their project label is the name the files resolve to), with exactly the files and
 * project that started them; and every running container whose bind mounts reach into a target,
 * whoever started it. Pure: the caller runs docker and stats paths.
 */
import fs from 'node:fs'
import path from 'node:path'
import { PROJECT_LABEL } from './volumes.js'
import { RUNNING, SERVICE_LABEL } from './commands.js'

export const CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files'
export const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir'

/** The part of `docker inspect`'s JSON for one container that is read here. */
export interface InspectedContainer {
  Id: string
  Name: string
  State?: { Status?: string; StartedAt?: string; ExitCode?: number; Health?: { Status?: string } | null }
  Config?: { Labels?: Record<string, string> | null; Image?: string }
  Mounts?: { Type?: string; Source?: string; Destination?: string; Name?: string }[] | null
}

export interface Container {
  id: string
  name: string
  state: string
  running: boolean
  startedAt: string
  /** The healthcheck's status (starting, healthy, unhealthy), or null without one. */
  health: string | null
  exitCode: number
  image: string
  project: string | null
  service: string | null
  workingDir: string | null
  /** Absolute paths of the compose files that started it (v1 writes them relative to working_dir, v2 absolute). */
  configFiles: string[]
  binds: { source: string; destination: string }[]
  /** Named volumes it mounts. */
  volumes: string[]
}

export function parseContainers(inspected: readonly InspectedContainer[]): Container[] {
  return inspected.map((c) => {
    const labels = c.Config?.Labels ?? {}
    const workingDir = labels[WORKING_DIR_LABEL] || null
    const files = (labels[CONFIG_FILES_LABEL] ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '')
    const state = c.State?.Status ?? 'unknown'
    return {
      id: c.Id,
      name: c.Name.replace(/^\//, ''),
      state,
      running: RUNNING.has(state),
      startedAt: c.State?.StartedAt ?? '',
      health: c.State?.Health?.Status ?? null,
      exitCode: c.State?.ExitCode ?? 0,
      image: c.Config?.Image ?? '',
      project: labels[PROJECT_LABEL] || null,
      service: labels[SERVICE_LABEL] || null,
      workingDir,
      configFiles: files.map((f) => (path.isAbsolute(f) || workingDir === null ? f : path.join(workingDir, f))),
      binds: (c.Mounts ?? []).filter((m) => m.Type === 'bind' && m.Source).map((m) => ({ source: m.Source as string, destination: m.Destination ?? '' })),
      volumes: (c.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name as string)
    }
  })
}

/**
 * Whether a bind mount's host path reaches into `target` (an absolute, resolved path): it is the
 * target, inside it, or above it (the container then sees the target through the mount).
 */
export function reachesInto(source: string, target: string): boolean {
  const s = path.resolve(source)
  return s === target || s.startsWith(`${target}/`) || target.startsWith(s === '/' ? '/' : `${s}/`)
}

export type FoundBy = 'running containers' | 'files' | 'bind mounts into targets'

/** A Compose project to stop, and how it was found. */
export interface Stack {
  project: string
  /**
   * The files to run `down` with, as its containers' labels name them (or the root's own files when
   * nothing runs): relative to the root when the stack runs from it, else absolute.
   */
  files: string[]
  /** The project directory for `down` (--project-directory) when it is not the root; null: the root. */
  projectDir: string | null
  foundBy: FoundBy
  containers: Container[]
  /** Null when `down` can run; else why its containers are stopped and removed by label instead. */
  filesUnusable: string | null
}

/** A running container outside any Compose project whose bind mounts reach into a target. */
export interface Writer {
  name: string
  image: string
  binds: { source: string; destination: string; target: string }[]
}

export interface Environment {
  stacks: Stack[]
  writers: Writer[]
}

export interface Probe {
  /** The root, as the guard resolved it, with its device and inode. */
  root: { path: string; dev: number; ino: number }
  /** The name the root's compose files (or the given name) resolve to; empty when none. */
  project: string
  /** The root's compose files (root-relative), for a project found by name only. */
  files: string[]
  /** Absolute, resolved paths of the targets. */
  targets: string[]
  /** The device and inode of a path on this host, or null when it cannot be read. */
  nodeOf(p: string): { dev: number; ino: number } | null
  /** Why a compose file cannot be used for `down` (gone, unreadable), or null. */
  unusable(file: string): string | null
  /** A host path with its links resolved (itself when it cannot be). */
  resolve(p: string): string
}

/**
 * A container's bind mounts that reach into a target. The source is compared as this host
 * resolves it (a link or another path to the same folder is the same folder).
 */
export function bindsIntoTargets(c: Container, probe: Pick<Probe, 'targets' | 'resolve'>): { source: string; destination: string; target: string }[] {
  return c.binds.flatMap((b) => {
    const source = probe.resolve(b.source)
    return probe.targets.filter((t) => reachesInto(source, t)).map((t) => ({ ...b, target: t }))
  })
}

/** Groups the containers into the stacks this environment runs and the other writers into its targets. */
export function findEnvironment(containers: readonly Container[], probe: Probe): Environment {
  const stacks = new Map<string, Stack>()
  const isRoot = (dir: string | null): boolean => {
    if (dir === null) return false
    const n = probe.nodeOf(dir)
    return n !== null && n.dev === probe.root.dev && n.ino === probe.root.ino
  }
  const add = (project: string, foundBy: FoundBy): void => {
    if (stacks.has(project)) return
    const mine = containers.filter((c) => c.project === project)
    // Every container of one `up` carries the same files and working_dir labels.
    const labelled = mine.find((c) => c.configFiles.length > 0 && c.workingDir !== null)
    let files: string[]
    let projectDir: string | null = null
    if (!labelled) files = project === probe.project ? probe.files : []
    else if (isRoot(labelled.workingDir)) {
      // Started from the root (under whatever path): its files relative to it, as Compose resolved them.
      const dir = labelled.workingDir as string
      files = labelled.configFiles.map((f) => (f.startsWith(`${dir}/`) ? f.slice(dir.length + 1) : f))
    } else {
      files = labelled.configFiles
      projectDir = labelled.workingDir
    }
    const base = projectDir ?? probe.root.path
    const why = files.length === 0 ? 'its containers do not name their compose files' : (files.map((f) => probe.unusable(path.resolve(base, f))).find((w) => w !== null) ?? null)
    stacks.set(project, { project, files, projectDir, foundBy, containers: mine, filesUnusable: why })
  }
  for (const c of containers) {
    if (c.project === null) continue
    if (isRoot(c.workingDir)) add(c.project, 'running containers')
    // By name only when its working_dir says nothing here (no label, or a path this host does not
    // have, as with a remote daemon): folders named alike elsewhere (/srv/prod/app, /srv/staging/app)
    // give their projects the same name, and another environment's stack is not ours to stop.
    else if (probe.project !== '' && c.project === probe.project && (c.workingDir === null || probe.nodeOf(c.workingDir) === null)) add(c.project, 'running containers')
  }
  const writers: Writer[] = []
  for (const c of containers) {
    if (!c.running) continue
    const binds = bindsIntoTargets(c, probe)
    if (binds.length === 0) continue
    if (c.project !== null) add(c.project, 'bind mounts into targets')
    else writers.push({ name: c.name, image: c.image, binds })
  }
  return { stacks: [...stacks.values()], writers }
}

/** The device and inode of a host path, or null. */
export function hostNodeOf(p: string): { dev: number; ino: number } | null {
  try {
    const st = fs.statSync(p)
    return { dev: st.dev, ino: st.ino }
  } catch {
    return null
  }
}

/** Why a compose file cannot be read for `down`, or null. */
export function composeFileProblem(file: string): string | null {
  try {
    fs.accessSync(file, fs.constants.R_OK)
    return fs.statSync(file).isFile() ? null : `${file} is not a file`
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? `its compose file ${file} is gone` : `its compose file ${file} cannot be read (${code})`
  }
}

/** A host path with its links resolved, or itself when it does not exist here. */
export function hostRealPath(p: string): string {
  try {
    return fs.realpathSync(p)
  } catch {
    return p
  }
}
