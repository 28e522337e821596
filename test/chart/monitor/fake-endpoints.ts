/**
 * One loopback HTTP server standing in for what the kv-monitor script talks to from a pod:
 * the instance metadata token endpoint, Key Vault (list, get secret; or the firewall's 403)
 * and the Kubernetes API (results ConfigMap, SecretProviderClass, pod statuses, Events).
 * The 403 body is Key Vault's own (reference: azure-facts §2); the rest are the REST shapes.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeVaultSecret {
  value: string;
  version: string;
  /** Seconds since the epoch, as Key Vault's attributes.updated. */
  updated: number;
  status?: number;
}

export interface FakeWorld {
  firewallRefuses?: string;
  noToken?: boolean;
  secrets: Record<string, FakeVaultSecret>;
  /** Versions the pods mounted, as the driver's SecretProviderClassPodStatus objects hold them. */
  mountedVersions?: Record<string, string>;
  configMap: Record<string, string>;
  events: Record<string, any>[];
  patches: string[];
}

const firewallBody = (address: string) => JSON.stringify({ error: { code: 'Forbidden', message: `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${address}\r\nCaller: appid=x\r\nVault: feathr-kv-demo;location=eastus`, innererror: { code: 'ForbiddenByFirewall' } } });

const read = (req: IncomingMessage) => new Promise<string>((resolve) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
});

export async function startFakeEndpoints(world: FakeWorld): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const body = await read(req);
    if (url.pathname === '/metadata/identity/oauth2/token') return world.noToken ? json(400, { error: 'invalid_request', error_description: 'Identity not found' }) : json(200, { access_token: 'fake-access-token' });
    if (url.pathname.startsWith('/secrets')) {
      // Key Vault's challenge: without a token it says nothing about its network rules.
      if (!req.headers.authorization) return res.writeHead(401, { 'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/tenant", resource="https://vault.azure.net"' }).end();
      if (world.firewallRefuses) return res.writeHead(403, { 'content-type': 'application/json' }).end(firewallBody(world.firewallRefuses));
      const name = url.pathname.split('/')[2];
      if (!name) return json(200, { value: [], nextLink: null });
      const secret = world.secrets[name];
      if (!secret) return json(404, { error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found in this key vault.` } });
      if (secret.status && secret.status !== 200) return json(secret.status, { error: { code: 'Forbidden', message: 'Operation get is not allowed on a disabled secret.', innererror: { code: 'SecretDisabled' } } });
      // Key Vault's SecretBundle, value first (the shape the probe cuts the version and time from).
      return json(200, { value: secret.value, id: `https://feathr-kv-demo.vault.azure.net/secrets/${name}/${secret.version}`, attributes: { enabled: true, created: secret.updated, updated: secret.updated, recoveryLevel: 'Recoverable+Purgeable' }, tags: { 'managed-by': 'feathr-kv-setup' } });
    }
    if (url.pathname.endsWith('/secretproviderclasspodstatuses')) {
      // As the API server serialises custom resources: keys in alphabetical order, so every
      // item starts with apiVersion. Another release's pods (stale on purpose) must not count.
      const item = (pod: string, spc: string, versions: Record<string, string>) => ({
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClassPodStatus',
        metadata: { name: `${pod}-feathr-${spc}`, namespace: 'feathr' },
        status: { mounted: true, objects: Object.entries(versions).map(([name, version]) => ({ id: `secret/${name}`, version })), podName: pod, secretProviderClassName: spc, targetPath: '/var/lib/kubelet/pods/x' },
      });
      const items = [item('other-abc', 'other-release-kv', { 'CONN-STR': 'ancient' }), ...(world.mountedVersions ? [item('feathr-online-abc', 'feathr-online-kv', world.mountedVersions)] : [])];
      return json(200, { apiVersion: 'secrets-store.csi.x-k8s.io/v1', items, kind: 'SecretProviderClassPodStatusList', metadata: { resourceVersion: '7' } });
    }
    if (url.pathname.endsWith('/secretproviderclasses/feathr-online-kv')) return json(200, { metadata: { name: 'feathr-online-kv', uid: 'spc-uid-1' } });
    if (url.pathname.endsWith('/configmaps/feathr-online-kv-monitor')) {
      if (req.method === 'PATCH') {
        world.patches.push(body);
        for (const [key, value] of Object.entries((JSON.parse(body) as { data: Record<string, string | null> }).data)) {
          if (value === null) delete world.configMap[key];
          else world.configMap[key] = value;
        }
      }
      return json(200, { metadata: { name: 'feathr-online-kv-monitor' }, data: world.configMap });
    }
    if (url.pathname.endsWith('/events') && req.method === 'POST') {
      world.events.push(JSON.parse(body) as Record<string, any>);
      return json(201, {});
    }
    return json(404, { kind: 'Status', status: 'Failure', reason: 'NotFound' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
