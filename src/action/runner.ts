/**
 * The runner's side of a JavaScript action, done directly: inputs from INPUT_<NAME>, state from
 * STATE_<name>, outputs and state appended to the files GITHUB_OUTPUT and GITHUB_STATE name (the
 * `name<<delimiter` form), the job summary appended to GITHUB_STEP_SUMMARY, and workflow commands
 * (::warning::, ::group::) on stdout, escaped as the runner reads them. This is the part of
 * @actions/core the action uses, with the same behaviour; @actions/core itself brings an HTTP
 * client (for OIDC tokens) whose 1.1 MB the action would parse at every start for nothing.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'

/** A workflow command's message: %, CR and LF escaped, so a value cannot end the command or start another. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

function command(name: string, props: Record<string, string>, message: string): void {
  const p = Object.entries(props).map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',')
  process.stdout.write(`::${name}${p ? ` ${p}` : ''}::${escapeData(message)}${os.EOL}`)
}

/** An input as the runner passes it (INPUT_<NAME>, spaces as underscores), trimmed unless asked not to. */
export function getInput(name: string, options: { trimWhitespace?: boolean } = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? ''
  return options.trimWhitespace === false ? value : value.trim()
}

/** Appends `key<<delimiter` / value / delimiter to the file the runner reads after the step. */
function fileCommand(envName: string, key: string, value: string): boolean {
  const file = process.env[envName]
  if (!file) return false
  if (!fs.existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`
  if (key.includes(delimiter) || value.includes(delimiter)) throw new Error(`Unexpected input: the value holds the delimiter ${delimiter}`)
  fs.appendFileSync(file, `${key}<<${delimiter}${os.EOL}${value}${os.EOL}${delimiter}${os.EOL}`, 'utf8')
  return true
}

export function setOutput(name: string, value: string): void {
  if (fileCommand('GITHUB_OUTPUT', name, value)) return
  process.stdout.write(os.EOL)
  command('set-output', { name }, value)
}

/** State for the post step, which gets it as STATE_<name>. */
export function saveState(name: string, value: string): void {
  if (fileCommand('GITHUB_STATE', name, value)) return
  command('save-state', { name }, value)
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? ''
}

export function info(message: string): void {
  process.stdout.write(`${message}${os.EOL}`)
}

export function warning(message: string): void {
  command('warning', {}, message)
}

export function error(message: string): void {
  command('error', {}, message)
}

/** Fails the step: exit status 1 once the process ends, and the message as an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}

/** A collapsible group in the log around `fn`. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  command('group', {}, name)
  try {
    return await fn()
  } finally {
    command('endgroup', {}, '')
  }
}

/** Appends HTML to the job summary (GITHUB_STEP_SUMMARY); throws when the runner gave none or it cannot be written. */
export function appendSummary(html: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.')
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK)
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`)
  }
  fs.appendFileSync(file, html, 'utf8')
}
