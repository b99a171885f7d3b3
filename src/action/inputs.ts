/**
 * The action's inputs -> Settings. The only caller of core.getInput. Inputs without a value are
 * left out so the config file, then the defaults, apply (action.yml therefore declares no
 * defaults for keys the config file may set).
 */
import * as core from './runner.js'
import { loadConfig, namesWithConfig } from '../engine/config.js'
import { OPTION_KINDS, buildSettings, parseOption, refuseBlank, type Settings } from '../engine/settings.js'
import { ACTION_NAMES, type OptionKey, type OptionNames, type PartialOptions } from '../common/options.js'

/** The settings, and how an error names each option: the input, or the config file's key when it came from there. */
export async function readInputs(): Promise<{ settings: Settings; names: OptionNames }> {
  // The runner fills `root` with the workspace when the step does not set it; an empty value means
  // the step set it to something empty (an unset variable), which root-guard refuses.
  const root = core.getInput('root')
  const fromInputs: Record<string, unknown> = {}
  for (const key of Object.keys(OPTION_KINDS) as OptionKey[]) {
    const raw = core.getInput(key, { trimWhitespace: false })
    if (raw.trim() === '') {
      // `ephemeral: |` over an unset variable gives "\n": falling back to the defaults would purge
      // (or stop) something the step never named. An empty value is what the runner gives an unset input.
      if (raw !== '') refuseBlank(key, `input ${key}`)
      continue
    }
    fromInputs[key] = parseOption(key, raw, `input ${key}`)
  }
  const config = root.trim() === '' ? { file: null, options: {} } : await loadConfig(root, core.getInput('config'))
  return {
    settings: buildSettings(root, config.file, fromInputs as PartialOptions, config.options),
    names: namesWithConfig(ACTION_NAMES, fromInputs as PartialOptions, config)
  }
}
