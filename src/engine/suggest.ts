/**
 * "Did you mean ...?" for what a person typed: the closest existing path for a target that does
 * not exist, the closest known word for an unknown one. Read-only: it lists directories, nothing more.
 */
import fs from 'node:fs'
import path from 'node:path'

/** Edit distance counting an adjacent swap as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** The candidate closest to `word`, when it is close enough to be a typo of it (or differs only in case). */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.floor(word.length / 3))
  let best: string | null = null
  let bestDistance = Infinity
  for (const c of candidates) {
    const dist = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c)
    if (dist <= limit && dist < bestDistance) {
      best = c
      bestDistance = dist
    }
  }
  return best
}

/**
 * For a root-relative path that does not exist: the existing path it most likely meant, segment
 * by segment from the root (`data/redsi` -> `data/redis`), or null.
 */
export function closestPath(root: string, rel: string): string | null {
  const out: string[] = []
  let changed = false
  for (const seg of rel.split('/')) {
    let names: string[]
    try {
      names = fs.readdirSync(path.join(root, ...out))
    } catch {
      return null
    }
    if (names.includes(seg)) {
      out.push(seg)
      continue
    }
    const near = closest(seg, names)
    if (near === null) return null
    out.push(near)
    changed = true
  }
  return changed ? out.join('/') : null
}
