/**
 * Turns SDK failures into errors that name the Azure operation, so "a run fails with a clear
 * message" holds even for an LRO that ends Failed deep inside a poller.
 */
import { CancelledError, UserError } from '../kernel/errors.js';

interface RestLike {
  statusCode?: number;
  code?: string;
  message?: string;
  name?: string;
}

export class AzureOperationError extends UserError {
  constructor(
    readonly operation: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
    message: string,
    hint?: string,
  ) {
    super(
      `Can't ${operation}: ${code ? `${code}: ` : ''}${message}`,
      hint ?? 'Run the same command again: every step picks up where it stopped.',
    );
    this.name = 'AzureOperationError';
  }
}

export function statusOf(error: unknown): number | undefined {
  return (error as RestLike | undefined)?.statusCode;
}

export function codeOf(error: unknown): string | undefined {
  return (error as RestLike | undefined)?.code;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 || codeOf(error) === 'ResourceNotFound' || codeOf(error) === 'NotFound';
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (error as RestLike | undefined)?.name === 'AbortError';
}

/** Runs one SDK call; on failure throws an error naming `operation` (e.g. "create private endpoint kv-pe"). */
export async function azureCall<T>(operation: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isAbort(error, signal)) throw new CancelledError();
    if (error instanceof UserError) throw error;
    const message = (error as RestLike | undefined)?.message ?? String(error);
    throw new AzureOperationError(operation, statusOf(error), codeOf(error), message.split('\n')[0] ?? message);
  }
}

/** A GET that answers undefined for 404 instead of throwing. */
export async function azureRead<T>(
  operation: string,
  call: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return azureCall(operation, () => Promise.reject(error), signal);
  }
}
