/**
 * Turns an SDK failure into facts we can act on and show. The SDKs build RestError messages
 * from the service's answer and keep the request (whose body holds the value) on the error,
 * so no SDK error object or message leaves this module: only status, codes and the
 * firewall's `Client address:` survive, in a message we write ourselves.
 */
import { isRestError } from '@azure/core-rest-pipeline';

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
]);

type VaultFailureKind =
  | 'throttled'
  | 'server'
  | 'connection'
  | 'firewall'
  | 'public-access-disabled'
  | 'rbac'
  | 'deleted'
  | 'not-found'
  | 'other';

export interface VaultFailureFacts {
  kind: VaultFailureKind;
  status?: number;
  code?: string;
  innerCode?: string;
  /** The egress IP the vault saw (from a ForbiddenByFirewall message). */
  clientAddress?: string;
  /** ARM's 429s carry Retry-After (Key Vault's don't); honoured as a floor for the backoff. */
  retryAfterMs?: number;
}

/** Safe to print, log and put in events: carries no SDK text. */
export class VaultCallError extends Error {
  constructor(
    readonly operation: string,
    readonly facts: VaultFailureFacts,
  ) {
    const codes = [facts.status, facts.code, facts.innerCode].filter((x) => x !== undefined && x !== '').join(' ');
    super(
      `${operation} failed: ${codes || 'no answer'}${facts.clientAddress ? ` (client address ${facts.clientAddress})` : ''}`,
    );
    this.name = 'VaultCallError';
  }

  get transient(): boolean {
    return this.facts.kind === 'throttled' || this.facts.kind === 'server' || this.facts.kind === 'connection';
  }
}

export function classifyVaultFailure(error: unknown): VaultFailureFacts {
  if (error instanceof VaultCallError) return error.facts;
  const code = stringProp(error, 'code');
  if (!isRestError(error)) {
    return {
      kind: code && CONNECTION_CODES.has(code) ? 'connection' : 'other',
      code: code && /^[A-Z_]+$/.test(code) ? code : undefined,
    };
  }
  const status = error.statusCode;
  const innerCode = innerErrorCode(error);
  const facts: VaultFailureFacts = { kind: 'other', status, code: safeCode(error.code), innerCode };
  if (status === undefined && code && CONNECTION_CODES.has(code)) facts.kind = 'connection';
  else if (status === 429) {
    facts.kind = 'throttled';
    const retryAfter = retryAfterMs(error.response?.headers);
    if (retryAfter !== undefined) facts.retryAfterMs = retryAfter;
  } else if (status !== undefined && status >= 500 && status !== 501 && status !== 505) facts.kind = 'server';
  else if (status === 403 && innerCode === 'ForbiddenByFirewall') {
    facts.kind = 'firewall';
    facts.clientAddress = /Client address:\s*([0-9a-fA-F.:]+)/.exec(error.message)?.[1];
  } else if (status === 403 && innerCode === 'ForbiddenByConnection') facts.kind = 'public-access-disabled';
  // An access policy just added is as slow to reach the data plane as a role: both mean "wait".
  else if (status === 403 && (innerCode === 'ForbiddenByRbac' || innerCode === 'AccessDenied')) facts.kind = 'rbac';
  else if (status === 409 && innerCode === 'ObjectIsDeletedButRecoverable') facts.kind = 'deleted';
  else if (status === 404) facts.kind = 'not-found';
  return facts;
}

export function toVaultCallError(operation: string, error: unknown): VaultCallError {
  return error instanceof VaultCallError ? error : new VaultCallError(operation, classifyVaultFailure(error));
}

/** keyvault-secrets puts the parsed body on `details`; ARM clients leave it in the response. */
function innerErrorCode(error: { details?: unknown; response?: { bodyAsText?: string | null } }): string | undefined {
  const details = error.details as { error?: { innerError?: { code?: unknown } } } | undefined;
  const fromDetails = details?.error?.innerError?.code;
  if (typeof fromDetails === 'string') return safeCode(fromDetails);
  const text = error.response?.bodyAsText;
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { error?: { innererror?: { code?: unknown } } };
    return typeof body.error?.innererror?.code === 'string' ? safeCode(body.error.innererror.code) : undefined;
  } catch {
    // Not JSON: there is no inner code to report.
    return undefined;
  }
}

function retryAfterMs(headers: { get(name: string): string | undefined } | undefined): number | undefined {
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Codes are identifiers; anything else is not passed on (it could be echoed input). */
function safeCode(code: unknown): string | undefined {
  return typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(code) ? code : undefined;
}

function stringProp(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}
