/**
 * The sandbox's internal request/response values. The HTTPS server turns each incoming
 * request into a SandboxRequest, applies faults/latency, logs it, and hands it to the
 * handler of its plane (ARM, Key Vault data plane, cluster API, sandbox control).
 */
import type { SandboxState } from './world/state.js';

export interface SandboxRequest {
  method: string;
  /** Parsed with `new URL(base + req.url)`. */
  url: URL;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The principal the bearer token names, if any (objectId). */
  principalId?: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string/Buffer. */
  body?: unknown;
  /**
   * A streamed answer (a Kubernetes watch): the server sends the headers, then hands over a
   * sink; `onClose` runs when the client goes away or the server stops.
   */
  stream?: (sink: StreamSink) => void;
}

interface StreamSink {
  write(chunk: string): void;
  end(): void;
  onClose(listener: () => void): void;
}

/** What every plane handler receives: the world and the server's public base URL. */
export interface HandlerContext {
  state: SandboxState;
  /** e.g. https://127.0.0.1:43125 — used for LRO polling URLs and vault URIs. */
  baseUrl: string;
  now(): number;
}

export type PlaneHandler = (ctx: HandlerContext, req: SandboxRequest) => Promise<SandboxResponse> | SandboxResponse;

/** ARM's error shape: `{"error":{"code","message"}}`. */
export function armError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: { error: { code, message, ...extra } },
  };
}
