/**
 * The action's post step (action.yml `post:`), run by the runner at the end of the job, after the
 * steps that redeploy: it deletes the trash the main step moved the targets into, with the same
 * anchored engine, and adds its own table to the job summary. The main step passes the root and
 * the trash's run id as state (GITHUB_STATE -> STATE_trash). No trash, nothing to do.
 */
import * as core from './runner.js'
import { deleteRootTrash } from '../engine/trash-purge.js'
import { claimFor } from '../engine/trash.js'
import { selfStopHooks } from '../engine/execute.js'
import { errorMessage } from '../common/errors.js'
import { publishTrash } from './summary.js'

export interface TrashState {
  root: string
  run: string
}

export const TRASH_STATE = 'trash'

export async function post(signal: AbortSignal): Promise<void> {
  const raw = core.getState(TRASH_STATE)
  if (raw === '') return
  let state: TrashState
  try {
    state = JSON.parse(raw) as TrashState
  } catch {
    core.setFailed(`safe-purge post step: the main step's state is not readable (${JSON.stringify(raw.slice(0, 80))}); the trash stays for the next run`)
    return
  }
  core.info(`deleting the trash ${state.run} of ${state.root} (moved aside by the main step)`)
  let report
  try {
    report = await deleteRootTrash(state.root, state.run, claimFor('post', process.env), process.env, { signal, hooks: selfStopHooks(process.env) })
  } catch (err) {
    core.setFailed(`safe-purge post step: ${errorMessage(err)}; the trash stays for the next run`)
    return
  }
  if (report === null) {
    core.info('nothing to delete: a later run already deleted this trash, or is deleting it')
    return
  }
  try {
    publishTrash(report, state.root, process.env)
  } catch (err) {
    core.setFailed(`the trash deletion ${report.ok ? 'succeeded' : 'failed'}, but its report or summary could not be written: ${errorMessage(err)}`)
  }
  if (!report.ok) core.setFailed(report.failures.join('; '))
}
