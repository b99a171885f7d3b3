/**
 * Text that reaches a person: what a user controls (file names, messages that may quote them) is
 * escaped before it reaches a terminal, and sizes are written the way people read them.
 */

function escapeChar(c: string): string {
  if (c === '\\') return '\\\\'
  if (c === '\n') return '\\n'
  if (c === '\t') return '\\t'
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
}

/**
 * A message on one line, control characters escaped and backslashes kept: an error that may quote
 * a file's contents, or a recovery hint, whose paths are shell words (errors.ts' shellWord) to paste as they are.
 */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\x00-\x1f\x7f-\x9f]/g, escapeChar)
}

/** Escapes control characters (newlines, ESC, C1), and backslashes, so a name is one unambiguous line on a terminal. */
export function showPath(p: string): string {
  // eslint-disable-next-line no-control-regex
  return p.replace(/[\x00-\x1f\x7f-\x9f\\]/g, escapeChar)
}

/**
 * A whole number with a comma between thousands (12,345), as toLocaleString('en-US') writes it,
 * without its cost: the first Intl call loads ICU's locale data (over 100 ms at start-up).
 */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`
}
