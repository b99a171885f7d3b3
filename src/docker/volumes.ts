/**
 * Which volumes `full` removes and which stay, decided from what docker reports and what the
 * compose files declare: only a volume labelled for this project goes; external volumes and
 * look-alikes (labelled for another project, or not labelled at all) stay, with the reason.
 */
import type { DeclaredVolumes } from './compose-files.js'

export const PROJECT_LABEL = 'com.docker.compose.project'
export const VOLUME_LABEL = 'com.docker.compose.volume'

export interface VolumeDecision {
  name: string
  key: string
  action: 'remove' | 'keep'
  reason: string
}

/** What the decisions need of the project: its name, its declared volumes and the run's settings. */
export interface VolumeRules {
  project: string
  /** What the compose files declare (compose-files' externalVolumes). */
  external: DeclaredVolumes
  protectedVolumes: readonly string[]
  full: boolean
}

/** The name each declared volume has (`<project>_<key>` unless the files name it) -> its key. */
export function declaredNames(t: Pick<VolumeRules, 'project' | 'external'>): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, name] of t.external.byKey) out.set(name ?? `${t.project}_${key}`, key)
  for (const name of t.external.names) if (!out.has(name)) out.set(name, name)
  return out
}

/**
 * Which volumes `full` removes, and why the others stay: only a volume labelled for this project
 * goes. `declared` (name -> key) gives the key of a volume that has no Compose labels.
 */
export function decideVolumes(
  inspected: readonly { Name: string; Labels?: Record<string, string> | null }[],
  t: VolumeRules,
  declared: ReadonlyMap<string, string> = new Map()
): VolumeDecision[] {
  return inspected.map((v) => {
    const labels = v.Labels ?? {}
    const key = labels[VOLUME_LABEL] ?? declared.get(v.Name) ?? v.Name
    const keep = (reason: string): VolumeDecision => ({ name: v.Name, key, action: 'keep', reason })
    const owner = labels[PROJECT_LABEL]
    if (t.external.names.has(v.Name)) return keep('external')
    if (!owner) return keep('not created by Compose (no project label)')
    if (owner !== t.project) return keep(`labelled for project ${JSON.stringify(owner)}`)
    if (t.external.keys.has(key)) return keep('external')
    if (t.protectedVolumes.includes(key) || t.protectedVolumes.includes(v.Name)) return keep('protected-volumes')
    if (!t.full) return keep('full is off')
    return { name: v.Name, key, action: 'remove', reason: 'project volume' }
  })
}
