/**
 * Ctrl-C, and being told to stop, for a command: the first SIGINT, SIGTERM or SIGHUP (a
 * closed terminal, a CI job cancelled) aborts the run's signal, so running calls stop cleanly
 * and finalizers run, and the ports close whatever happens (the throwaway state folder of an
 * in-process sandbox with them). No handler stays behind. SIGINT then ends as the cancelled
 * run (exit 130); SIGTERM and SIGHUP are raised again once everything is closed, so the
 * process still ends by that signal, as whoever sent it expects.
 */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * `open` runs with the handlers already listening, so a signal while the ports open (the
 * throwaway state folder just made) still ends with them closed.
 */
export async function runInterruptible<P extends { close(): Promise<void> }, T>(
  open: () => Promise<P>,
  run: (ports: P, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  let received: StopSignal | undefined;
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = (): void => {
      received ??= name;
      abort.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  let ports: P | undefined;
  try {
    ports = await open();
    return await run(ports, abort.signal);
  } finally {
    for (const [name, handler] of handlers) process.removeListener(name, handler);
    await ports?.close();
    if (received && received !== 'SIGINT') raiseAgain(received);
  }
}

/** After the cleanup: end by the signal that asked, with no handler of ours left to catch it. */
export function raiseAgain(signal: 'SIGTERM' | 'SIGHUP'): void {
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
