/**
 * The action's entry (dist/index.js): turns on Node's compile cache (Node 22.1+; the action runs
 * on node24) before the bundle is loaded, so a runner that ran it before skips compiling it.
 */
import { enableCompileCache } from '../common/compile-cache.js'

enableCompileCache(process.env)
await import('./main.js')
