/**
 * Before process.exit: stdout and stderr may be a pipe or a socket, which Node writes without
 * blocking, so what the reader has not taken yet still waits in the process and exiting would drop
 * it (a long --list cut short, with exit 0). This resolves once both have handed everything to the
 * kernel.
 */
export function drained(): Promise<unknown> {
  // An empty write's callback runs once every write queued before it is written.
  const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()))
  return Promise.all([flushed(process.stdout), flushed(process.stderr)])
}
