/**
 * Recording stand-ins for the wizard tests: a WizardPort holding the sandbox's default world
 * and a runner that records the Config it got and plays a plan → approval →
 * apply sequence through the real RunHandle. No module mocks.
 */
import type { Config } from '../../source/config/schema.js';
import { makePlan } from '../../source/kernel/plan.js';
import type { RunIo, SetupRunner } from '../../source/use-cases/wizard/run-io.js';
import type { AksInfo, VnetInfo, WizardPort } from '../../source/discovery/port.js';

const SUB = '00000000-0000-0000-0000-00000000feed';
const RG = `/subscriptions/${SUB}/resourceGroups/feathr-rg/providers/Microsoft.Network/virtualNetworks`;
const vnet = (name: string, space: string, subnets: VnetInfo['subnets'] = []): VnetInfo => ({
  id: `${RG}/${name}`,
  name,
  resourceGroup: 'feathr-rg',
  addressSpace: [space],
  subnets,
});
export const LEGACY_KEYS = [
  'FEATHRCI_HOST',
  'FEATHRCI_PASS',
  'FEATHRCI_TABLE',
  'IPGEOLOCATION_APIKEY',
  'CONN_STR',
  'COSMOS_ACCOUNT',
  'COSMOS_API_KEY',
  'COSMOS_DATABASE',
];

export function defaultWorldPort(overrides: { envFileNames?: string[] } = {}): WizardPort & { calls: string[] } {
  const calls: string[] = [];
  const aks: AksInfo = {
    name: 'feathr-aks',
    resourceGroup: 'feathr-rg',
    location: 'eastus',
    vnet: vnet('aks-vnet', '10.10.0.0/16', [{ name: 'nodes', addressPrefix: '10.10.0.0/20' }]),
    addonEnabled: false,
  };
  const log = <T>(name: string, value: T) => {
    calls.push(name);
    return Promise.resolve(value);
  };
  return {
    calls,
    installs: () => log('installs', []),
    detect: () =>
      log('detect', {
        sandbox: true,
        account: 'operator@sandbox.test',
        tenantId: '00000000-0000-0000-0000-0000000000aa',
        subscriptionId: SUB,
        kubeContext: 'feathr-aks',
        kubectl: 'v1.32.3',
        helm: 'v3.17.2',
        problems: [],
      }),
    subscriptions: () => log('subscriptions', [{ id: SUB, name: 'Sandbox subscription' }]),
    resourceGroups: () => log('resourceGroups', [{ name: 'feathr-rg', location: 'eastus' }]),
    locations: () => log('locations', ['eastus', 'westeurope']),
    checkVaultName: (name) =>
      log(
        `checkVaultName ${name}`,
        name === 'feathr-kv-old'
          ? { available: false, deleted: { name, purgeProtection: false, scheduledPurgeDate: '2027-01-01T00:00:00Z' } }
          : { available: true },
      ),
    vaults: () => log('vaults', [{ name: 'feathr-kv-live', resourceGroup: 'feathr-rg', location: 'eastus' }]),
    aksClusters: () => log('aksClusters', [aks]),
    vnets: () => log('vnets', [aks.vnet!, vnet('overlap-vnet', '10.10.0.0/16'), vnet('shared-vnet', '10.20.0.0/16')]),
    networkFacts: () => log('networkFacts', { dnsZoneExists: false, linkedVnets: [], peeringExists: false }),
    kubeContexts: () =>
      log('kubeContexts', [
        { name: 'feathr-aks', current: true },
        { name: 'feathr-eks', current: false },
      ]),
    egressIps: (context) =>
      log(
        `egressIps ${context}`,
        context === 'feathr-eks'
          ? [
              { node: 'ip-192-168-1-10.ec2.internal', address: '52.14.20.1' },
              { node: 'ip-192-168-2-10.ec2.internal', address: '52.14.20.2' },
            ]
          : [],
      ),
    oidcIssuer: (context) =>
      log('oidcIssuer', context === 'feathr-eks' ? 'https://oidc.sandbox.test/feathr-eks' : undefined),
    csiState: () => log('csiState', undefined),
    secretCandidates: () =>
      log('secretCandidates', [{ namespace: 'legacy', name: 'feathr-online-secret', keys: LEGACY_KEYS }]),
    envFileNames: (path) => log(`envFileNames ${path}`, overrides.envFileNames ?? []),
    secretConflicts: () => log('secretConflicts', []),
    secretStates: ({ mapping }) =>
      log(
        'secretStates',
        Object.fromEntries(mapping.map((m) => [m.vaultName, m.vaultName === 'CONN-STR' ? 'changed' : 'new'] as const)),
      ),
  };
}

/** Records every Config it is given; plans one create, waits for approval, applies, verifies. */
export function recordingRunner(): SetupRunner & {
  configs: Config[];
  approvals: boolean[];
  prompted: RunIo['prompted'][];
} {
  const configs: Config[] = [];
  const approvals: boolean[] = [];
  const prompted: RunIo['prompted'][] = [];
  const runner = async (config: Config, io: RunIo) => {
    configs.push(config);
    prompted.push(io.prompted);
    io.emit({ type: 'run.started', command: 'setup', target: config.target, sandbox: true });
    const steps = [
      {
        stepId: 'vault',
        title: 'Vault',
        action: 'create' as const,
        changes: [{ mark: '+' as const, resource: `vault ${config.vault.name}`, reason: 'new' }],
        observed: 'a',
        dependsOn: [],
      },
    ];
    for (const s of steps)
      io.emit({ type: 'step.planned', stepId: s.stepId, title: s.title, action: s.action, summary: '1 to create' });
    const plan = makePlan(config.target, steps);
    io.emit({ type: 'plan.ready', plan, changes: plan.changes });
    const ok = await io.approve(plan);
    approvals.push(ok);
    if (!ok) {
      io.emit({ type: 'result', ok: false, exitCode: 1, error: { message: 'Nothing was changed.' } });
      return;
    }
    io.emit({ type: 'step.started', stepId: 'vault', title: 'Vault' });
    io.emit({ type: 'step.progress', stepId: 'vault', message: 'Writing secrets', done: 8, total: 8 });
    io.emit({
      type: 'step.done',
      stepId: 'vault',
      title: 'Vault',
      summary: `Vault ${config.vault.name} created`,
      ms: 12,
    });
    io.emit({
      type: 'check.result',
      category: 'mount',
      id: 'mount',
      description: 'secrets mount in a pod',
      status: 'pass',
      severity: 'fatal',
    });
    io.emit({ type: 'result', ok: true, exitCode: 0 });
  };
  return Object.assign(runner, { configs, approvals, prompted });
}
