/**
 * The action's inputs -> Settings. The only caller of core.getInput. Inputs without a value are
 * left out so the config file, then the defaults, apply (action.yml therefore declares no
 * defaults for keys the config file may set).
 */
import * as core from '@actions/core'
import { loadConfig } from './config.js'
import { fail } from './errors.js'
import { OPTION_KINDS, buildSettings, parseOption, type OptionKey, type PartialOptions, type Settings } from './settings.js'

/** Inputs whose default reaches further than any value a step would give them. */
const WIDENED_WHEN_BLANK: ReadonlySet<OptionKey> = new Set(['ephemeral', 'compose-file', 'compose-project'])

export async function readInputs(): Promise<Settings> {
  // The runner fills `root` with the workspace when the step does not set it; an empty value means
  // the step set it to something empty (an unset variable), which root-guard refuses.
  const root = core.getInput('root')
  const fromInputs: Record<string, unknown> = {}
  for (const key of Object.keys(OPTION_KINDS) as OptionKey[]) {
    const raw = core.getInput(key, { trimWhitespace: false })
    if (raw === '') continue
    if (raw.trim() === '' && WIDENED_WHEN_BLANK.has(key)) {
      // `ephemeral: |` over an unset variable gives "\n": falling back to the defaults would purge
      // (or stop) something the step never named.
      throw fail('ERR_BLANK_INPUT', `input ${key} is blank (only whitespace, often an unset variable): give a value, or remove the input to use the default`)
    }
    if (raw.trim() === '') continue
    fromInputs[key] = parseOption(key, raw, `input ${key}`)
  }
  const config = root.trim() === '' ? { file: null, options: {} } : await loadConfig(root, core.getInput('config'))
  return buildSettings(root, config.file, fromInputs as PartialOptions, config.options)
}
