/**
 * How the person running safe-purge sets an option, so that an error names the fix they can type:
 * the action's input (`root`, `compose-project`) or the CLI's flag (`--root`, `--project-name`).
 */
import type { OptionKey } from './settings.js'

export type OptionName = OptionKey | 'root' | 'config'
export type OptionNames = (key: OptionName) => string

export const ACTION_NAMES: OptionNames = (key) => key

const CLI_FLAGS: Readonly<Record<OptionName, string>> = {
  root: '--root',
  config: '--config',
  'dry-run': '--dry-run',
  force: '--force',
  // The CLI asks instead of reading a confirmation value.
  confirm: '--force',
  full: '--full',
  ephemeral: '--ephemeral',
  protected: '--protect',
  docker: '--docker',
  'compose-file': '--compose-file',
  'compose-project': '--project-name',
  'protected-volumes': '--protected-volume',
  'docker-host': '--docker-host',
  'docker-timeout': '--docker-timeout'
}

export const CLI_NAMES: OptionNames = (key) => CLI_FLAGS[key]
