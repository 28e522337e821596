/**
 * Soak test for the sandbox (not part of `npm test`): 4 concurrent clients drive ARM and the
 * Key Vault data plane through the real SDKs for 60 s with faults injected, while heapUsed and
 * rss are sampled (after a GC when run with --expose-gc). Reports requests, errors, unhandled
 * rejections and memory, then checks the server still answers.
 *
 *   node --expose-gc --import tsx scripts/sandbox-soak.ts [--seconds 60] [--clients 4]
 */
import { parseArgs } from 'node:util';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { NetworkManagementClient } from '@azure/arm-network';
import { ResourceManagementClient } from '@azure/arm-resources';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { SecretClient } from '@azure/keyvault-secrets';
import { credentialFor } from '../source/connect/sandbox-client.js';
import { startSandbox } from '../source/sandbox/start.js';

const FAULTS = 'arm-read:500@0.02,arm-write:429@0.05,lro:failed@0.05,dataplane-read:429@0.03,dataplane:reset@0.02';
const LATENCY = 'arm-write=5,lro=20,dataplane=1';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, clients: { type: 'string', default: '4' } },
});
const seconds = Number(values.seconds);
const clientCount = Number(values.clients);

let unhandled = 0;
process.on('unhandledRejection', () => {
  unhandled += 1;
});

const sandbox = await startSandbox({ faults: FAULTS, latency: LATENCY, seed: 42 });
const credential = credentialFor(sandbox.tokenFor('operator'));
const scopes = [`${sandbox.url}/.default`];
const tlsOptions = { ca: sandbox.caPem };
const sub = sandbox.subscriptionId;
const keyVault = new KeyVaultManagementClient(credential, sub, {
  endpoint: sandbox.url,
  credentials: { scopes },
  tlsOptions,
});
const network = new NetworkManagementClient(credential, sub, {
  endpoint: sandbox.url,
  credentialScopes: scopes,
  tlsOptions,
});
const resources = new ResourceManagementClient(credential, sub, {
  endpoint: sandbox.url,
  credentialScopes: scopes,
  tlsOptions,
});
const authorization = new AuthorizationManagementClient(credential, sub, {
  endpoint: sandbox.url,
  credentialScopes: scopes,
  tlsOptions,
});

// Setup without faults, then turn them on.
const saved = sandbox.state.faults;
sandbox.state.faults = undefined;
const vault = await keyVault.vaults.createOrUpdate(
  'feathr-rg',
  'feathr-kv-soak',
  { location: 'eastus', properties: { tenantId: sandbox.tenantId, sku: { family: 'A', name: 'standard' } } },
  { updateIntervalInMs: 1 },
);
await authorization.roleAssignments.create(vault.id!.slice(1), '00000000-0000-4000-8000-00000000500a', {
  roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7`,
  principalId: sandbox.state.operatorId,
});
const secrets = new SecretClient(vault.properties.vaultUri!, credential, {
  disableChallengeResourceVerification: true,
  tlsOptions,
  retryOptions: { maxRetries: 1 },
});
await secrets.setSecret('soak-secret', 'sandbox-soak-value');
sandbox.state.faults = saved;

const stats = { operations: 0, errors: 0 };
const samples: { t: number; heapUsedMB: number; rssMB: number }[] = [];
const gc = (globalThis as { gc?: () => void }).gc;
const sample = (t: number) => {
  gc?.();
  const memory = process.memoryUsage();
  samples.push({ t, heapUsedMB: +(memory.heapUsed / 2 ** 20).toFixed(1), rssMB: +(memory.rss / 2 ** 20).toFixed(1) });
};

const deadline = Date.now() + seconds * 1000;
const work: (() => Promise<unknown>)[] = [
  () => resources.resourceGroups.get('feathr-rg'),
  () => keyVault.vaults.get('feathr-rg', 'feathr-kv-soak'),
  () => keyVault.vaults.checkNameAvailability({ name: 'feathr-kv-soak-x', type: 'Microsoft.KeyVault/vaults' }),
  () =>
    keyVault.vaults.createOrUpdate(
      'feathr-rg',
      'feathr-kv-soak',
      { location: 'eastus', properties: { tenantId: sandbox.tenantId, sku: { family: 'A', name: 'standard' } } },
      { updateIntervalInMs: 1 },
    ),
  () => network.virtualNetworks.get('feathr-rg', 'aks-vnet'),
  () =>
    network.subnets.beginCreateOrUpdateAndWait(
      'feathr-rg',
      'shared-vnet',
      'soak',
      { addressPrefix: '10.20.9.0/24' },
      { updateIntervalInMs: 1 },
    ),
  () => secrets.getSecret('soak-secret'),
  async () => {
    for await (const _ of authorization.roleAssignments.listForScope(vault.id!.slice(1), { filter: 'atScope()' }))
      void _;
  },
];

async function client(index: number): Promise<void> {
  let step = index;
  while (Date.now() < deadline) {
    try {
      await work[step % work.length]();
    } catch {
      stats.errors += 1; // injected faults surface as errors; what matters is that the server keeps answering
    }
    stats.operations += 1;
    step += 1;
  }
}

const started = Date.now();
sample(0);
const timer = setInterval(() => sample(Math.round((Date.now() - started) / 1000)), 5000);
await Promise.all(Array.from({ length: clientCount }, (_, index) => client(index)));
clearInterval(timer);
sample(Math.round((Date.now() - started) / 1000));

sandbox.state.faults = undefined;
const health = await resources.resourceGroups.get('feathr-rg').then(
  () => 'answering',
  (error: Error) => `failing: ${error.message}`,
);
const statuses: Record<string, number> = {};
for (const entry of sandbox.state.requestLog) statuses[entry.status] = (statuses[entry.status] ?? 0) + 1;
const steady = samples.slice(2);
const report = {
  seconds,
  clients: clientCount,
  faults: FAULTS,
  latency: LATENCY,
  operations: stats.operations,
  operationErrors: stats.errors,
  requests: sandbox.state.requestLog.length,
  statuses,
  unhandledRejections: unhandled,
  gcBeforeSamples: Boolean(gc),
  heapUsedMB: {
    first: samples[0].heapUsedMB,
    min: Math.min(...steady.map((s) => s.heapUsedMB)),
    max: Math.max(...steady.map((s) => s.heapUsedMB)),
    last: samples.at(-1)!.heapUsedMB,
  },
  rssMB: { first: samples[0].rssMB, max: Math.max(...samples.map((s) => s.rssMB)), last: samples.at(-1)!.rssMB },
  samples,
  health,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
await sandbox.close();
process.exitCode = health === 'answering' && unhandled === 0 ? 0 : 1;
