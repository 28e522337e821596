/**
 * The sandbox's HTTPS server on loopback. Every request is parsed (`new URL(base + req.url)`,
 * so `//subscriptions/...` stays a path: arm-authorization 9 sends that), tied to the principal its bearer token
 * names, delayed and faulted by operation kind, dispatched by path prefix to its plane, and
 * logged (method, path, status, write, plane; never a body):
 *   /kv/<vault>/...          Key Vault data plane      (plane 'dataplane')
 *   /_sandbox/k8s/<ctx>/...  simulated cluster API     (plane 'cluster')
 *   /_sandbox/...            sandbox control routes    (plane 'sandbox', never faulted)
 *   /{tenant}/oauth2/v2.0/token, /{tenant}/v2.0/.well-known/openid-configuration   sign-in (plane 'login')
 *   everything else          ARM                       (plane 'arm')
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createArmPlane } from './arm/index.js';
import { settleOperations } from './arm/lro.js';
import { isArmWrite } from './arm/router.js';
import { principalIdFromHeader } from './auth.js';
import { handleKubePlane } from './cluster/kube-plane.js';
import { buildChartRepo } from './charts/repo.js';
import { handleControl, type ControlOptions } from './control.js';
import { drawFault, latencyFor, type FaultEffect, type OperationKind } from './faults.js';
import type { HandlerContext, PlaneHandler, SandboxRequest, SandboxResponse } from './http.js';
import { armError } from './http.js';
import { handleDataPlane } from './keyvault/data-plane.js';
import { handleLogin, LOGIN_PATH } from './login.js';
import type { SandboxTls } from './tls.js';
import type { RequestLogEntry, SandboxState } from './world/state.js';

/** Bodies above this are refused: nothing the SDKs send comes close (a secret is ≤ 25 KB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** The request log keeps the most recent entries, so a long soak stays flat in memory. */
const MAX_LOG_ENTRIES = 100_000;

type Plane = 'arm' | 'dataplane' | 'cluster' | 'sandbox' | 'login';

export interface SandboxServerOptions {
  state: SandboxState;
  tls: SandboxTls;
  port?: number;
  now?: () => number;
  /** Rebuilds the world in place (POST /_sandbox/reset). */
  reset: ControlOptions['reset'];
}

export interface SandboxServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function planeOf(pathname: string): Plane {
  if (pathname.startsWith('/kv/')) return 'dataplane';
  if (pathname.startsWith('/_sandbox/k8s/')) return 'cluster';
  if (pathname.startsWith('/_sandbox/')) return 'sandbox';
  if (LOGIN_PATH.test(pathname)) return 'login';
  return 'arm';
}

function kindOf(plane: Plane, method: string, pathname: string): OperationKind | undefined {
  const read = method === 'GET' || method === 'HEAD';
  switch (plane) {
    case 'arm':
      return isArmWrite(method, pathname) ? 'arm-write' : 'arm-read';
    case 'dataplane':
      return read ? 'dataplane-read' : 'dataplane-write';
    case 'cluster':
      return 'cluster';
    default:
      return undefined;
  }
}

function isWrite(plane: Plane, method: string, pathname: string): boolean {
  if (plane === 'arm') return isArmWrite(method, pathname);
  if (plane === 'sandbox') return method === 'POST' && /^\/_sandbox\/(reset|faults)$/.test(pathname);
  // `kubectl auth can-i` POSTs a SelfSubjectAccessReview, which the API server answers and never stores: a read.
  if (plane === 'cluster' && method === 'POST' && /\/selfsubject(access|rules)reviews$/.test(pathname)) return false;
  return method !== 'GET' && method !== 'HEAD';
}

/** The error each plane answers with when a fault fires. */
function faultResponse(
  plane: Plane,
  fault: Extract<FaultEffect, { kind: 'status' }>,
  retryAfterSeconds = 1,
): SandboxResponse {
  if (plane === 'dataplane') {
    // Real Key Vault 429s carry no Retry-After, whatever the spec says.
    if (fault.status === 429) {
      return armError(
        429,
        'Throttled',
        'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
      );
    }
    return armError(
      fault.status,
      fault.status === 500 ? 'InternalServerError' : 'ServiceUnavailable',
      'The service is temporarily unavailable. (sandbox: injected fault)',
    );
  }
  const retryAfter: Record<string, string> = fault.retryAfter ? { 'retry-after': String(retryAfterSeconds) } : {};
  if (plane === 'cluster') {
    const reason =
      fault.status === 429 ? 'TooManyRequests' : fault.status === 500 ? 'InternalError' : 'ServiceUnavailable';
    return {
      status: fault.status,
      headers: { 'content-type': 'application/json', ...retryAfter },
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `${reason} (sandbox: injected fault)`,
        reason,
        code: fault.status,
      },
    };
  }
  const response =
    fault.status === 429
      ? armError(
          429,
          'TooManyRequests',
          'The request is being throttled as the limit has been reached for operation type - Write_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits',
        )
      : fault.status === 500
        ? armError(500, 'InternalServerError', 'Encountered internal server error. (sandbox: injected fault)')
        : armError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. (sandbox: injected fault)');
  response.headers = { ...response.headers, ...retryAfter };
  return response;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, method: string, response: SandboxResponse): void {
  if (response.stream) return sendStream(res, response);
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload: Buffer | undefined;
  if (response.body !== undefined && response.body !== null) {
    if (Buffer.isBuffer(response.body)) payload = response.body;
    else if (typeof response.body === 'string') payload = Buffer.from(response.body);
    else {
      payload = Buffer.from(JSON.stringify(response.body));
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
  }
  headers['content-length'] = String(method === 'HEAD' || !payload ? 0 : payload.length);
  headers['x-ms-request-id'] ??= randomUUID();
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}

function sendStream(res: ServerResponse, response: SandboxResponse): void {
  res.writeHead(response.status, { ...(response.headers ?? {}), 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  const closers: (() => void)[] = [];
  res.on('close', () => closers.splice(0).forEach((close) => close()));
  response.stream!({
    write: (chunk) => {
      if (!res.writableEnded && !res.destroyed) res.write(chunk);
    },
    end: () => {
      if (!res.writableEnded) res.end();
    },
    onClose: (listener) => closers.push(listener),
  });
}

function appendLog(state: SandboxState, entry: RequestLogEntry): void {
  state.requestLog.push(entry);
  if (state.requestLog.length > MAX_LOG_ENTRIES * 1.1)
    state.requestLog.splice(0, state.requestLog.length - MAX_LOG_ENTRIES);
}

function internalError(plane: Plane, error: unknown): SandboxResponse {
  const message = `Encountered internal server error. (sandbox: ${(error as Error)?.message ?? String(error)})`;
  return plane === 'cluster'
    ? {
        status: 500,
        body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'InternalError', code: 500 },
      }
    : armError(500, 'InternalServerError', message);
}

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const now = options.now ?? Date.now;
  const arm = createArmPlane();
  let baseUrl = '';
  const context = (): HandlerContext => ({ state: options.state, baseUrl, now });
  const charts = buildChartRepo(now());
  const control: PlaneHandler = (ctx, req) =>
    handleControl(ctx, req, { reset: options.reset, caPem: options.tls.caPem, charts });
  const planes: Record<Plane, PlaneHandler> = {
    arm,
    dataplane: handleDataPlane,
    cluster: handleKubePlane,
    sandbox: control,
    login: handleLogin,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(baseUrl + (req.url ?? '/'));
    const plane = planeOf(url.pathname);
    const { state } = options;
    // Cluster calls keep the client's user agent, so a log shows they came from kubectl or Helm.
    const agent =
      plane === 'cluster' && typeof req.headers['user-agent'] === 'string'
        ? { userAgent: req.headers['user-agent'] }
        : {};
    const log = (status: number) =>
      appendLog(state, {
        method,
        path: url.pathname,
        status,
        write: isWrite(plane, method, url.pathname),
        plane,
        at: now(),
        ...agent,
      });
    const body = await readBody(req);
    if (!body) {
      log(413);
      return send(
        res,
        method,
        armError(413, 'RequestEntityTooLarge', `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
      );
    }
    settleOperations(state, now());
    const kind = kindOf(plane, method, url.pathname);
    if (kind) {
      const delay = latencyFor(state.faults, kind);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const fault = drawFault(state.faults, kind, url.pathname);
      if (fault?.kind === 'reset') {
        log(0);
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        const response = faultResponse(plane, fault, state.faults?.retryAfterSeconds);
        log(response.status);
        return send(res, method, response);
      }
    }
    const request: SandboxRequest = {
      method,
      url,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([key, value]) => [
          key.toLowerCase(),
          Array.isArray(value) ? value.join(', ') : value,
        ]),
      ),
      body,
      principalId: principalIdFromHeader(state, req.headers.authorization),
    };
    let response: SandboxResponse;
    try {
      response = await planes[plane](context(), request);
    } catch (error) {
      response = internalError(plane, error);
    }
    log(response.status);
    send(res, method, response);
  };

  const server = https.createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, (req, res) => {
    handle(req, res).catch((error) => {
      // Never let one request take the server down; answer if the socket still allows it.
      if (!res.headersSent && !res.destroyed) send(res, req.method ?? 'GET', internalError('arm', error));
    });
  });
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `https://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
