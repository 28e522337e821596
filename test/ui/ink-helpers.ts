/** ink-testing-library helpers: poll the frame, then let new inputs subscribe. */
export const KEY = { enter: '\r', down: '\u001B[B', up: '\u001B[A', escape: '\u001B', ctrlC: '\u0003' } as const;

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitForFrame(
  lastFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  timeoutMs = 5000,
): Promise<string> {
  const started = Date.now();
  while (!predicate(lastFrame() ?? '')) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`Timed out waiting for the frame. Last frame:\n${lastFrame()}`);
    await delay(5);
  }
  // A new screen's useInput subscribes in an effect after the frame; on a loaded 2-core CI
  // machine that took longer than a fixed 10 ms, and a key sent earlier was lost.
  await delay(40);
  return lastFrame() ?? '';
}

export const waitForText = (lastFrame: () => string | undefined, text: string, timeoutMs?: number) =>
  waitForFrame(lastFrame, (f) => f.includes(text), timeoutMs);
