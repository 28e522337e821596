import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { probeScript } from '../../source/kube/probe-script.js';
import { buildProbePod, DEFAULT_PROBE_IMAGE, parseProbeOutput } from '../../source/kube/probe-pod.js';

// The 403 body Key Vault sends to a caller outside its IP rules.
const firewallBody = JSON.stringify({
  error: {
    code: 'Forbidden',
    message:
      'Client address is not authorized and caller is not a trusted service.\r\nClient address: 52.14.20.1\r\nCaller: appid=x\r\nVault: feathr-kv-demo;location=eastus',
    innererror: { code: 'ForbiddenByFirewall' },
  },
});

describe('probe script (run locally with sh)', () => {
  it('reports the vault status, its inner error code, the Client address and each mounted file', async () => {
    const server = createServer((_req, res) =>
      res.writeHead(403, { 'content-type': 'application/json' }).end(firewallBody),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const mountDir = mkdtempSync(join(tmpdir(), 'probe-mount-'));
    writeFileSync(join(mountDir, 'CONN_STR'), 'Server=feathr');
    writeFileSync(join(mountDir, 'EMPTY_ONE'), '');
    try {
      const run = await execa('/bin/sh', ['-c', probeScript()], {
        env: {
          VAULT_NAME: 'feathr-kv-demo',
          VAULT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          MOUNT_DIR: mountDir,
          EXPECTED: 'CONN_STR EMPTY_ONE GONE',
          TERMINATION_LOG: join(mountDir, 'termination-log'),
        },
      });
      const result = parseProbeOutput(run.stdout);
      // The same line is the container's termination message, read with the pod's status.
      expect(readFileSync(join(mountDir, 'termination-log'), 'utf8')).toBe(`${run.stdout.trim()}\n`);
      expect(result).toMatchObject({
        vaultStatus: 403,
        vaultError:
          'ForbiddenByFirewall: Client address is not authorized and caller is not a trusted service. Client address: 52.14.20.1 Caller: appid=x Vault: feathr-kv-demo;location=eastus',
        clientAddress: '52.14.20.1',
        tcp443: true,
        mount: {
          ok: false,
          objects: [
            { alias: 'CONN_STR', state: 'mounted', sha256: createHash('sha256').update('Server=feathr').digest('hex') },
            { alias: 'EMPTY_ONE', state: 'empty' },
            { alias: 'GONE', state: 'missing' },
          ],
        },
      });
      expect(run.stdout).not.toContain('Server=feathr');
    } finally {
      server.close();
      rmSync(mountDir, { recursive: true, force: true });
    }
  });
});

describe('buildProbePod', () => {
  it('uses cluster DNS on the pod network, the default MCR image, and no volume without an SPC', () => {
    const pod = buildProbePod(
      {
        namespace: 'feathr',
        hostNetwork: false,
        vaultName: 'feathr-kv-demo',
        serviceAccount: 'feathr-online',
        labels: { 'azure.workload.identity/use': 'true' },
      },
      'probe-1',
    ) as any;
    expect(pod.spec).toMatchObject({
      hostNetwork: false,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'feathr-online',
      volumes: [],
    });
    expect(pod.metadata.labels).toMatchObject({
      'azure.workload.identity/use': 'true',
      'app.kubernetes.io/managed-by': 'feathr-kv-setup',
    });
    expect(pod.spec.containers[0].image).toBe(DEFAULT_PROBE_IMAGE);
    expect(pod.spec.containers[0].volumeMounts).toBeUndefined();
  });

  it('takes an image override for private registries', () => {
    const pod = buildProbePod(
      { namespace: 'feathr', hostNetwork: true, vaultName: 'kv1', image: 'registry.internal/tools/netshoot:1' },
      'probe-2',
    ) as any;
    expect(pod.spec.containers[0].image).toBe('registry.internal/tools/netshoot:1');
  });
});
