#!/usr/bin/env node
/**
 * The CLI's entry (dist/cli/index.js): turns on Node's compile cache (Node 22.1+) before the
 * bundle is loaded, so a command run before skips compiling it (see common/compile-cache.ts).
 */
import { enableCompileCache } from '../common/compile-cache.js'

// Not in the privileged pass: a process running as root loads no code cache from a directory
// that its environment names.
if (!process.argv.includes('--privileged-pass')) enableCompileCache(process.env)
await import('./main.js')
