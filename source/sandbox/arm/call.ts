/**
 * What an ARM route handler receives, and the one way it refuses a request: `fail(...)`
 * throws an ArmFailure that the router turns into ARM's error shape.
 */
import { armError, type HandlerContext, type SandboxRequest, type SandboxResponse } from '../http.js';

export interface ArmCall {
  ctx: HandlerContext;
  req: SandboxRequest;
  method: string;
  /** Normalised path: single slashes, no trailing slash, original casing. */
  path: string;
  /** Pattern captures, original casing. `scope` holds the `{scope*}` prefix of authorization routes. */
  params: Record<string, string>;
  apiVersion: string;
  principalId: string;
  /** The request body as JSON (an object); fails with 400 InvalidRequestContent otherwise. */
  body(): Record<string, any>;
}

export class ArmFailure extends Error {
  constructor(readonly response: SandboxResponse) {
    super(String((response.body as { error?: { message?: string } })?.error?.message ?? 'ARM failure'));
    this.name = 'ArmFailure';
  }
}

export function fail(status: number, code: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new ArmFailure(armError(status, code, message, extra));
}

export function parseJsonBody(buffer: Buffer): Record<string, any> {
  const text = buffer.toString('utf8').trim();
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: '${(error as Error).message}'.`,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    fail(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized: the body must be a JSON object.',
    );
  }
  return value as Record<string, any>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

export function nowIso(ctx: HandlerContext): string {
  return new Date(ctx.now()).toISOString();
}

/** api-version comparison for date-like versions (`2026-02-01`, `2025-05-01-preview`). */
export function apiAtLeast(apiVersion: string, minimum: string): boolean {
  return apiVersion.slice(0, 10) >= minimum;
}
