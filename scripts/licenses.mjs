// Writes dist/licenses.txt: the license of every package bundled into dist/ (the runtime
// dependencies and theirs), sorted by name. ncc's own --license lists only one chunk once the
// YAML parser is split into a chunk of its own, so the list is made from node_modules instead.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const seen = new Map()

function visit(name, from) {
  // Node's resolution: the nearest node_modules/<name> going up from the requiring package.
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, 'node_modules', name)
    if (fs.existsSync(path.join(pkgDir, 'package.json'))) {
      if (seen.has(name)) return
      const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'))
      const file = fs.readdirSync(pkgDir).find((f) => /^(licen[cs]e|copying)([.-][a-z0-9]+)?$/i.test(f))
      seen.set(name, { license: pkg.license ?? 'UNKNOWN', text: file ? fs.readFileSync(path.join(pkgDir, file), 'utf8').trim() : '' })
      for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, pkgDir)
      return
    }
    if (dir === repo || dir === path.dirname(dir)) throw new Error(`licenses: ${name} is not installed (run npm ci)`)
  }
}

// What ncc bundles: the packages src/ imports (bare specifiers other than node:, type-only
// imports aside). They are devDependencies: the bundles need no node_modules at run time.
function imported(dir, out = new Set()) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) imported(p, out)
    else if (e.name.endsWith('.ts')) {
      for (const m of fs.readFileSync(p, 'utf8').matchAll(/(?:^import(?! type)[^'"]*?from|\bimport\()\s*['"]([^'"./][^'"]*)['"]/gm)) {
        if (!m[1].startsWith('node:')) out.add(m[1].split('/').slice(0, m[1].startsWith('@') ? 2 : 1).join('/'))
      }
    }
  }
  return out
}
for (const dep of [...imported(path.join(repo, 'src'))].sort()) visit(dep, repo)
const out = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, l]) => `${name}\n${l.license}\n${l.text}\n`)
fs.writeFileSync(path.join(repo, 'dist', 'licenses.txt'), out.join('\n'))
console.log(`licenses: ${seen.size} packages in dist/licenses.txt`)
