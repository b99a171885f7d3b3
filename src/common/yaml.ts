/**
 * The YAML parser, loaded on demand: it is most of the bundle's start-up time, and most runs have
 * neither a config file nor a compose file to read. A dynamic import keeps it in the bundle
 * (dist/ runs without node_modules) but evaluates it only when `loadYaml()` is awaited.
 */
import type { parse as Parse } from 'yaml'

let parser: typeof Parse | null = null

export async function loadYaml(): Promise<void> {
  parser ??= (await import('yaml')).parse
}

/** `yaml`'s parse(text, options); `loadYaml()` must have been awaited. */
export function parseYaml(text: string, options?: Parameters<typeof Parse>[2]): unknown {
  if (parser === null) throw new Error('internal error: parseYaml before loadYaml')
  return parser(text, options)
}
