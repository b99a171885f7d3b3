// Removes the bundles ncc wrote before (dist/*.js, dist/cli/*.js: the entries and their numbered
// chunks), so that a chunk a new build no longer makes cannot linger in the committed dist/.
// dist/native/, licenses.txt and package.json stay.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist')
for (const dir of [dist, path.join(dist, 'cli')]) {
  if (!fs.existsSync(dir)) continue
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.js')) fs.rmSync(path.join(dir, f))
}
