/**
 * Writes secrets with bounded concurrency and our own retries. Key Vault answers a throttled
 * set with 429 and no Retry-After, which the SDK does not retry, so we back
 * off exponentially with full jitter (delay = random(0, min(cap, base·2^attempt))). A 429 was
 * not processed and is simply retried; after a 5xx or a dropped connection the write may have
 * landed, so we first look (reconcile) and only write again when it did not: each secret gets
 * at most one new version per run.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import pLimit from 'p-limit';
import { nameKey, type SecretEntry } from './secret-entry.js';
import { toVaultCallError, type VaultCallError } from './vault-errors.js';

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Tries after 5xx answers and dropped connections before giving up, the first included. */
  maxAttempts: number;
  /**
   * How long to keep retrying 429s. A count would be wrong here: under contention a secret can
   * lose the race for freed slots through more than one 10 s window, yet the vault always
   * makes progress, so only time bounds the wait.
   */
  throttleBudgetMs: number;
}

/** Time and chance, passed in so tests and benchmarks control them without module mocks. */
export interface Clock {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  now(): number;
}

export const systemClock: Clock = {
  sleep: (ms, signal) => sleepFor(ms, undefined, { signal }),
  random: () => Math.random(),
  now: () => Date.now(),
};

/**
 * Key Vault's guidance is 1, 2, 4, 8, 16 s. We start lower and cap at 2 s because its window
 * slides: slots free up continuously, and a 429 doesn't count against the limit, so a short
 * cap keeps the writer close to 300 per 10 s (bench: 1,000 secrets in 0.95× the limit's time).
 */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 250,
  capMs: 2000,
  maxAttempts: 8,
  throttleBudgetMs: 5 * 60_000,
};

/**
 * For a vault that answers in milliseconds (the sandbox's): the same attempts and 429 budget,
 * with delays in milliseconds instead of seconds, as the sandbox's SDK retries are.
 */
export const QUICK_BACKOFF: BackoffPolicy = { ...DEFAULT_BACKOFF, baseMs: 5, capMs: 50 };

export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number, floorMs = 0): number {
  return Math.max(
    Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt)),
    Math.min(floorMs, 60_000),
  );
}

export interface RetryOptions {
  policy: BackoffPolicy;
  clock: Clock;
  signal?: AbortSignal;
  onRetry?: (error: VaultCallError, attempt: number, delayMs: number) => void;
}

/** Retries reads (and anything safe to repeat) on 429, 5xx and connection resets. */
export async function withRetries<T>(operation: string, fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const budget = retryBudget(options);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (raw) {
      const error = toVaultCallError(operation, raw);
      if (!budget.allows(error)) throw error;
      const delay = backoffDelay(options.policy, attempt, options.clock.random, error.facts.retryAfterMs);
      options.onRetry?.(error, attempt, delay);
      await options.clock.sleep(delay, options.signal);
    }
  }
}

export interface WriteTarget {
  /** One create-or-update; returns the new version. */
  write(entry: SecretEntry, signal?: AbortSignal): Promise<{ version: string }>;
  /**
   * After an unknown outcome: the version holding this value if the write landed, else
   * undefined. `previousVersion` is what was current before this run.
   */
  landed(entry: SecretEntry, previousVersion: string | undefined, signal?: AbortSignal): Promise<string | undefined>;
}

export interface WriteJob {
  entry: SecretEntry;
  previousVersion?: string;
}

export interface WriteReport {
  written: { entry: SecretEntry; version: string; attempts: number }[];
  failed: { entry: SecretEntry; error: VaultCallError }[];
  /** 429 answers seen (each one retried). */
  throttled: number;
  /** Unknown outcomes found to have landed, so not written again. */
  reconciled: number;
}

export async function writeAll(
  jobs: readonly WriteJob[],
  target: WriteTarget,
  options: RetryOptions & { concurrency: number; onWritten?: (entry: SecretEntry, version: string) => void },
): Promise<WriteReport> {
  const seen = new Set<string>();
  for (const job of jobs) {
    const key = nameKey(job.entry.vaultName);
    // A name twice in one batch would mean two versions in one run: a bug upstream, not input.
    if (seen.has(key)) throw new Error(`writeAll: ${job.entry.vaultName} is queued twice`);
    seen.add(key);
  }
  const report: WriteReport = { written: [], failed: [], throttled: 0, reconciled: 0 };
  const limit = pLimit(Math.max(1, options.concurrency));
  await Promise.all(
    jobs.map((job) =>
      limit(async () => {
        if (options.signal?.aborted) return;
        try {
          const { version, attempts } = await writeOnce(job, target, options, report);
          report.written.push({ entry: job.entry, version, attempts });
          options.onWritten?.(job.entry, version);
        } catch (raw) {
          if (options.signal?.aborted) return;
          report.failed.push({ entry: job.entry, error: toVaultCallError(`Writing ${job.entry.vaultName}`, raw) });
        }
      }),
    ),
  );
  return report;
}

async function writeOnce(
  job: WriteJob,
  target: WriteTarget,
  options: RetryOptions,
  report: WriteReport,
): Promise<{ version: string; attempts: number }> {
  const operation = `Writing ${job.entry.vaultName}`;
  const budget = retryBudget(options);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const { version } = await target.write(job.entry, options.signal);
      return { version, attempts: attempt + 1 };
    } catch (raw) {
      const error = toVaultCallError(operation, raw);
      if (!budget.allows(error)) throw error;
      if (error.facts.kind === 'throttled') {
        report.throttled += 1;
      } else {
        const landed = await withRetries(
          `Checking ${job.entry.vaultName}`,
          () => target.landed(job.entry, job.previousVersion, options.signal),
          options,
        );
        if (landed) {
          report.reconciled += 1;
          return { version: landed, attempts: attempt + 1 };
        }
      }
      const delay = backoffDelay(options.policy, attempt, options.clock.random, error.facts.retryAfterMs);
      options.onRetry?.(error, attempt, delay);
      await options.clock.sleep(delay, options.signal);
    }
  }
}

/** Per operation: 5xx and resets use up attempts; 429s use up time. */
function retryBudget(options: RetryOptions) {
  const started = options.clock.now();
  let failures = 0;
  return {
    allows(error: VaultCallError): boolean {
      if (!error.transient || options.signal?.aborted) return false;
      if (error.facts.kind === 'throttled') return options.clock.now() - started < options.policy.throttleBudgetMs;
      failures += 1;
      return failures < options.policy.maxAttempts;
    },
  };
}
