/**
 * Keeps management-plane secret writes inside ARM's write bucket (200 per subscription and
 * principal, refilling 10 a second), so a migration of hundreds of secrets never earns a 429.
 * The bucket's level is learnt from ARM itself: the first write goes alone, and every answer's
 * `x-ms-ratelimit-remaining-subscription-writes` resets the estimate (minus the writes still
 * in flight, which will take a token each). Between answers it refills at ARM's rate. One
 * caller waits at a time, so the clock's sleeps never overlap (tests pass a virtual clock).
 */
import type { Clock } from './writer.js';

export const ARM_WRITE_BUCKET = { size: 200, refillPerSecond: 10 } as const;

export interface ArmWritePacer {
  /** Waits until a write may go out without being throttled, and counts it in flight. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** The write's answer came back; `remaining` is ARM's header, when it sent one. */
  settle(remaining: number | undefined): void;
  /** ARM throttled a write anyway (another client shares the bucket): nothing left for now. */
  throttled(): void;
}

export function createArmWritePacer(
  clock: Clock,
  bucket: { size: number; refillPerSecond: number } = ARM_WRITE_BUCKET,
): ArmWritePacer {
  let tokens = 1;
  let at = clock.now();
  let known = false;
  let inFlight = 0;
  let firstAnswer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => {
    firstAnswer = resolve;
  });
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const now = clock.now();
    if (known && Number.isFinite(tokens))
      tokens = Math.min(bucket.size, tokens + (Math.max(0, now - at) / 1000) * bucket.refillPerSecond);
    at = now;
  };

  const take = async (signal?: AbortSignal) => {
    // Until ARM has told us the level, only the first write goes out.
    if (!known && inFlight > 0) await answered;
    for (;;) {
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        inFlight += 1;
        return;
      }
      await clock.sleep(Math.ceil(((1 - tokens) / bucket.refillPerSecond) * 1000), signal);
    }
  };

  return {
    acquire(signal) {
      const turn = queue.then(() => take(signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
    settle(remaining) {
      inFlight = Math.max(0, inFlight - 1);
      if (remaining === undefined || !Number.isFinite(remaining)) {
        // An endpoint that doesn't report its bucket isn't paced (a 429 still is, through throttled()).
        if (!known) {
          known = true;
          tokens = Number.POSITIVE_INFINITY;
          firstAnswer();
        }
        return;
      }
      refill();
      tokens = Math.max(0, remaining - inFlight);
      known = true;
      firstAnswer();
    },
    throttled() {
      inFlight = Math.max(0, inFlight - 1);
      refill();
      tokens = 0;
      known = true;
      firstAnswer();
    },
  };
}
