/**
 * The cluster side of a sandbox run: the real kubectl/helm adapter over a kubeconfig the
 * sandbox wrote (in process) or serves (`GET /_sandbox/kubeconfig`, written here to a 0600
 * temp file), passed explicitly to every call, with Helm's cache and config in the same temp
 * folder, so a sandbox run never reads or writes the user's kubeconfig or Helm settings.
 * The sandbox's chart repository is trusted with its CA (`--ca-file`), never globally.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../kernel/errors.js';
import { KubectlHelmAdapter } from './kubectl-helm-adapter.js';

export interface SandboxKube {
  /** The kubeconfig every call uses. */
  kubeconfig: string;
  /** The sandbox's Helm repository and the CA file to trust it with. */
  chartRepo: { url: string; caFile: string };
  /** A port bound to one of the sandbox's contexts. */
  port(context: string): Promise<KubectlHelmAdapter>;
  close(): Promise<void>;
}

function fetchText(url: string, caPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: caPem, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks).toString('utf8'))
          : reject(new Error(`HTTP ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function openSandboxKube(options: {
  url: string;
  caPem: string;
  kubeconfig?: string;
}): Promise<SandboxKube> {
  const dir = await mkdtemp(path.join(tmpdir(), 'feathr-kv-sandbox-tools-'));
  try {
    let kubeconfig = options.kubeconfig;
    if (!kubeconfig) {
      const text = await fetchText(`${options.url}/_sandbox/kubeconfig`, options.caPem).catch((error: Error) => {
        throw new UserError(
          `Can't read the sandbox's kubeconfig from ${options.url}: ${error.message}`,
          'Check --sandbox-url and --sandbox-ca, or start it with `feathr-kv-setup sandbox serve`.',
        );
      });
      kubeconfig = path.join(dir, 'kubeconfig');
      await writeFile(kubeconfig, text, { mode: 0o600 });
    }
    const caFile = path.join(dir, 'sandbox-ca.pem');
    await writeFile(caFile, options.caPem, { mode: 0o600 });
    // kubectl's discovery cache (KUBECACHEDIR) and Helm's homes live in the run's temp folder too.
    const env = {
      KUBECACHEDIR: path.join(dir, 'kube-cache'),
      HELM_CACHE_HOME: path.join(dir, 'helm-cache'),
      HELM_CONFIG_HOME: path.join(dir, 'helm-config'),
      HELM_DATA_HOME: path.join(dir, 'helm-data'),
    };
    const file = kubeconfig;
    return {
      kubeconfig: file,
      chartRepo: { url: `${options.url}/_sandbox/charts`, caFile },
      port: (context) =>
        KubectlHelmAdapter.create({
          context,
          kubeconfig: file,
          env,
          tempDir: dir,
          trustedRepo: { url: `${options.url}/_sandbox/charts`, caFile },
          // The sandbox settles a pod before answering, so the first look already tells.
          probe: { timeoutMs: 20_000, pollIntervalMs: 50 },
        }),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
