/**
 * Ctrl-C for a command: the first SIGINT aborts the run's signal (running calls stop cleanly,
 * finalizers run), and the ports close whatever happens. No handler stays behind.
 */
export async function runInterruptible<T>(close: () => Promise<void>, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await run(abort.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
    await close();
  }
}
