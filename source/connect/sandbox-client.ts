/**
 * How our CLI talks to a sandbox that is already serving (`--sandbox-url URL --sandbox-ca FILE`)
 * or one started in process: it trusts the sandbox's CA per client (never globally), fetches
 * `GET /_sandbox/info`, and returns a TokenCredential that hands out the operator's token (for
 * another tenant of the sandbox's world, the operator's token of that tenant).
 * Pass `tlsOptions` to every SDK client along with `endpoint: url`.
 */
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { UserError } from '../kernel/errors.js';

interface SandboxAccessToken {
  token: string;
  expiresOnTimestamp: number;
}

/** Structurally an @azure/core-auth TokenCredential. */
export interface SandboxCredential {
  getToken(scopes: string | string[], options?: unknown): Promise<SandboxAccessToken>;
}

export interface SandboxConnection {
  url: string;
  caPem: string;
  subscriptionId: string;
  tenantId: string;
  credential: SandboxCredential;
  tlsOptions: { ca: string };
  /** From /_sandbox/info: who the operator is, without decoding its token. */
  operator?: { objectId: string; principalType: 'User' | 'ServicePrincipal' };
}

function getJson(url: string, caPem: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca: caPem, timeout: 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error('timed out after 5 s')));
    request.on('error', reject);
  });
}

function postJson(url: string, caPem: string, body: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = https.request(
      url,
      {
        method: 'POST',
        ca: caPem,
        timeout: 5000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200)
            return reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
          try {
            resolve(JSON.parse(text) as Record<string, unknown>);
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out after 5 s')));
    request.on('error', reject);
    request.end(payload);
  });
}

function tidOf(token: string): string | undefined {
  try {
    const tid = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { tid?: unknown })
      .tid;
    return typeof tid === 'string' ? tid.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** Where a credential asks the sandbox for the same principal's token in another tenant. */
export interface SandboxTokenSource {
  url: string;
  caPem: string;
  /** The principal's name or object id. */
  principal: string;
}

/**
 * The principal's token; asked for another tenant (`getToken(scopes, { tenantId })`, as the
 * clients of another tenant's subscription do), the same principal's token for that tenant from
 * the sandbox, as `az account get-access-token --tenant` gives a real operator. Without a source,
 * every tenant gets the home token, which ARM refuses for another tenant's subscription.
 */
export function credentialFor(token: string, source?: SandboxTokenSource): SandboxCredential {
  const home = tidOf(token);
  const byTenant = new Map<string, Promise<string>>();
  // Sandbox tokens don't expire; report an hour so SDK caches behave as with Entra tokens.
  const answer = (value: string) => ({ token: value, expiresOnTimestamp: Date.now() + 3600_000 });
  return {
    getToken: async (_scopes, options) => {
      const tenant = (options as { tenantId?: string } | undefined)?.tenantId?.toLowerCase();
      if (!tenant || !source || tenant === home) return answer(token);
      let pending = byTenant.get(tenant);
      if (!pending) {
        pending = postJson(`${source.url}/_sandbox/token`, source.caPem, {
          principal: source.principal,
          tenantId: tenant,
        }).then((body) => {
          if (typeof body.token !== 'string') throw new Error(`the sandbox gave no token for tenant ${tenant}`);
          return body.token;
        });
        pending.catch(() => byTenant.delete(tenant));
        byTenant.set(tenant, pending);
      }
      return answer(await pending);
    },
  };
}

export async function connectSandbox(options: { url: string; caPem: string }): Promise<SandboxConnection> {
  const url = options.url.replace(/\/+$/, '');
  let info: Record<string, unknown>;
  try {
    info = await getJson(`${url}/_sandbox/info`, options.caPem);
  } catch (error) {
    throw new UserError(
      `Can't reach the sandbox at ${url}: ${(error as Error).message}.`,
      'Start it with `feathr-kv-setup sandbox serve` and pass the url and caFile it prints.',
    );
  }
  if (typeof info.token !== 'string' || typeof info.subscriptionId !== 'string' || typeof info.tenantId !== 'string') {
    throw new UserError(
      `${url} doesn't look like a feathr-kv-setup sandbox: /_sandbox/info lacks token, subscriptionId or tenantId.`,
    );
  }
  const op = info.operator as { objectId?: unknown } | undefined;
  const operator =
    typeof op?.objectId === 'string' ? { operator: { objectId: op.objectId, principalType: 'User' as const } } : {};
  const source = typeof op?.objectId === 'string' ? { url, caPem: options.caPem, principal: op.objectId } : undefined;
  return {
    url,
    caPem: options.caPem,
    subscriptionId: info.subscriptionId,
    tenantId: info.tenantId,
    credential: credentialFor(info.token, source),
    tlsOptions: { ca: options.caPem },
    ...operator,
  };
}

/** `--sandbox-url URL --sandbox-ca FILE`. */
export async function connectSandboxWithCaFile(options: { url: string; caFile: string }): Promise<SandboxConnection> {
  let caPem: string;
  try {
    caPem = await readFile(options.caFile, 'utf8');
  } catch (error) {
    throw new UserError(
      `Can't read the sandbox CA file ${options.caFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      'Pass the caFile that `sandbox serve` printed.',
    );
  }
  return connectSandbox({ url: options.url, caPem });
}
