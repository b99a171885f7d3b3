/**
 * The action's entry (dist/index.js): turns on Node's compile cache (Node 22.1+; the action runs
 * on node24) before the bundle is loaded, so a runner that ran it before skips compiling it.
 */
import { enableCompileCache } from '../common/compile-cache.js'

// The post step of a run that moved nothing (the default strategy: no trash state) has nothing
// to do: it ends here, without loading the engine.
if (!(process.env.STATE_isPost === 'true' && !process.env.STATE_trash)) {
  enableCompileCache(process.env)
  await import('./main.js')
}
