import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { parse } from 'yaml';
import { App } from '../../source/ui/App.js';
import { startRun } from '../../source/ui/run-handle.js';
import { savePresetFile } from '../../source/ui/save-preset.js';
import { validateConfig } from '../../source/config/validate.js';
import { defaultWorldPort, recordingRunner } from './stand-ins.js';
import { KEY, waitForFrame, waitForText } from './ink-helpers.js';
import { testTempDir } from '../helpers/temp-dir.js';

function session(port = defaultWorldPort()) {
  const runner = recordingRunner();
  const dir = testTempDir('wizard-');
  const codes: number[] = [];
  const app = render(
    <App
      port={Promise.resolve(port)}
      random={() => 0.5}
      startRun={(config, prompted) => startRun(runner, config, { prompted })}
      savePreset={(input, path, typedNames) => savePresetFile(input, path, dir, typedNames)}
      onFinish={(code) => codes.push(code)}
    />,
  );
  const step = async (text: string, key: string = KEY.enter) => {
    await waitForText(app.lastFrame, text);
    app.stdin.write(key);
  };
  return { ...app, runner, dir, codes, step, port };
}

describe('guided session', () => {
  it('azure: enter everywhere reaches the result, with one escape back on the way, and saves a preset', async () => {
    const s = session();
    await s.step('Press enter to start');
    await s.step('❯ Azure (AKS)');
    await s.step('Azure subscription');
    await s.step('Resource group');
    await s.step('Azure region');
    await s.step('❯ Create a new vault');
    // Escape goes back one screen: the vault kind question is asked again.
    await s.step('Name of the new vault', KEY.escape);
    await s.step('❯ Create a new vault');
    const named = await waitForText(s.lastFrame, 'Name of the new vault');
    expect(named).toContain('feathr-kv-ssss');
    s.stdin.write(KEY.enter);
    await s.step('AKS cluster');
    await s.step('Kube context');
    const vnetFrame = await waitForText(s.lastFrame, "VNet for the vault's private endpoint");
    expect(vnetFrame).toContain('❯ shared-vnet');
    expect(vnetFrame).toContain('overlaps the cluster VNet');
    s.stdin.write(KEY.enter);
    await s.step('Name of the new subnet');
    const prefix = await waitForText(s.lastFrame, 'Address range of subnet kv-endpoints');
    expect(prefix).toContain('10.20.1.0/24');
    s.stdin.write(KEY.enter);
    await s.step('Secrets Store CSI driver');
    await s.step('Secret rotation');
    await s.step('Identity the Feathr pods use');
    const monitor = await waitForText(s.lastFrame, 'Watch the path to the vault');
    expect(monitor).toContain('❯ On, every 5 minutes');
    s.stdin.write(KEY.enter);
    await s.step('Kubernetes Secret legacy/feathr-online-secret');
    const table = await waitForText(s.lastFrame, 'changed');
    expect(s.port.calls).toContain('secretStates');
    expect(table).toMatch(/CONN_STR\s+→ CONN-STR\s+changed/);
    expect(table).toMatch(/FEATHRCI_HOST\s+→ FEATHRCI-HOST\s+new/);
    s.stdin.write(KEY.enter);
    const review = await waitForText(s.lastFrame, 'Apply this plan?');
    expect(review).toContain('What will exist');
    expect(review).toMatch(/⇅ peering, both directions\s+\[new\]/);
    expect(review).toMatch(/└─ subnet kv-endpoints 10.20.1.0\/24\s+\[new\]/);
    expect(review).toContain('+ vault feathr-kv-ssss');
    s.stdin.write(KEY.enter);
    await s.step('Save these answers', KEY.down);
    await s.step('❯ Yes, save');
    await s.step('Preset file');
    await waitForText(s.lastFrame, 'Preset saved to feathr-kv-preset.yaml');
    await waitForText(s.lastFrame, 'Setup complete');
    expect(s.runner.approvals).toEqual([true]);
    const config = s.runner.configs[0]!;
    expect(config).toMatchObject({
      target: 'azure',
      azure: { subscriptionId: '00000000-0000-0000-0000-00000000feed', resourceGroup: 'feathr-rg', location: 'eastus' },
      vault: { name: 'feathr-kv-ssss', create: true },
      network: { privateEndpoint: { vnet: 'shared-vnet', subnet: 'kv-endpoints', addressPrefix: '10.20.1.0/24' } },
      cluster: { kubeContext: 'feathr-aks', aks: { resourceGroup: 'feathr-rg', name: 'feathr-aks' } },
      csi: { install: 'aks-addon', rotation: { enabled: true, pollInterval: '2m' } },
      identity: { mode: 'aks-addon' },
      feathr: { monitor: { enabled: true, schedule: '*/5 * * * *' } },
      secrets: { sources: [{ kubernetesSecret: { namespace: 'legacy', name: 'feathr-online-secret' } }] },
    });
    // The saved preset is the same configuration, through the preset validation, and holds no value.
    const text = readFileSync(join(s.dir, 'feathr-kv-preset.yaml'), 'utf8');
    const again = validateConfig(parse(text));
    expect(again.ok && again.config).toEqual(config);
    await vi.waitFor(() => expect(s.codes).toEqual([0]), { timeout: 5_000, interval: 5 });
    s.unmount();
  });

  it('other-cloud: typed vault name validated as you type, soft-deleted name offered for recovery, IPs prefilled, collision renamed', async () => {
    const s = session(defaultWorldPort({ envFileNames: ['FEATHRCI_HOST', 'CONN_STR', 'conn_str'] }));
    await s.step('Press enter to start');
    await s.step('❯ Azure (AKS)', KEY.down);
    await s.step('❯ Another cloud', KEY.enter);
    await s.step('Azure subscription');
    await s.step('Resource group');
    await s.step('Azure region');
    await s.step('❯ Create a new vault');
    await waitForText(s.lastFrame, 'Name of the new vault');
    for (let i = 0; i < 14; i += 1) s.stdin.write('\u007F');
    await waitForFrame(s.lastFrame, (f) => !f.includes('feathr-kv-ssss'));
    s.stdin.write('kv_1');
    const bad = await waitForText(s.lastFrame, "has '_'");
    expect(bad).toContain('×');
    for (let i = 0; i < 4; i += 1) s.stdin.write('\u007F');
    s.stdin.write('feathr-kv-old');
    await waitForText(s.lastFrame, 'feathr-kv-old');
    s.stdin.write(KEY.enter);
    const deleted = await waitForText(s.lastFrame, 'soft-deleted state');
    expect(deleted).toContain('Recover feathr-kv-old');
    s.stdin.write(KEY.enter);
    await s.step('Kube context', KEY.enter);
    const ips = await waitForText(s.lastFrame, 'Public egress IPs');
    expect(ips).toContain('52.14.20.1, 52.14.20.2');
    s.stdin.write(KEY.enter);
    await s.step('❯ Helm chart');
    await s.step('Secret rotation', KEY.down);
    await s.step('❯ Off');
    await s.step('❯ Workload identity federation');
    await s.step('Name of the managed identity');
    await s.step('Watch the path to the vault', KEY.down);
    await s.step('❯ Off');
    await s.step('Where are Feathr', KEY.down);
    await s.step('❯ A .env file');
    await s.step('Path of the .env file');
    const collision = await waitForText(s.lastFrame, 'A secret name needs a decision');
    expect(collision).toContain('CONN_STR');
    expect(collision).toContain('conn_str');
    s.stdin.write(KEY.down);
    await s.step('❯ Rename conn_str');
    await waitForText(s.lastFrame, 'New vault name for conn_str');
    s.stdin.write(KEY.enter);
    const table = await waitForText(s.lastFrame, 'new (renamed)');
    expect(table).toMatch(/conn_str\s+→ conn-str-2\s+new \(renamed\)/);
    expect(table).toContain('Feathr also reads FEATHRCI_PASS');
    s.stdin.write(KEY.enter);
    const review = await waitForText(s.lastFrame, 'Apply this plan?');
    expect(review).toContain('egress IPs 52.14.20.1, 52.14.20.2');
    expect(review).toMatch(/→ vault feathr-kv-old, public endpoint\s+\[new\]/);
    s.stdin.write(KEY.down);
    await s.step('❯ Cancel, change nothing');
    await vi.waitFor(() => expect(s.codes).toEqual([1]), { timeout: 5_000, interval: 5 });
    expect(s.runner.approvals).toEqual([false]);
    expect(s.runner.configs[0]).toMatchObject({
      target: 'other-cloud',
      vault: { name: 'feathr-kv-old', create: true, recover: true },
      network: { allowedIps: ['52.14.20.1', '52.14.20.2'] },
      cluster: { kubeContext: 'feathr-eks', oidcIssuer: 'https://oidc.sandbox.test/feathr-eks' },
      csi: { install: 'helm', rotation: { enabled: false } },
      identity: {
        mode: 'workload-identity',
        workloadIdentity: { name: 'feathr-kv-reader', serviceAccount: 'feathr-online' },
      },
      feathr: { monitor: { enabled: false } },
      secrets: { sources: [{ envFile: './feathr.env' }], rename: { conn_str: 'conn-str-2' } },
    });
    s.unmount();
  });

  it('a pod name no shell accepts is flagged when the source is read, with a fix in the source and no dead end', async () => {
    const names = ['FOO.BAR', 'CONN_STR'];
    const s = session(defaultWorldPort({ envFileNames: names }));
    await s.step('Press enter to start');
    await s.step('❯ Azure (AKS)', KEY.down);
    await s.step('❯ Another cloud', KEY.enter);
    await s.step('Azure subscription');
    await s.step('Resource group');
    await s.step('Azure region');
    await s.step('❯ Create a new vault');
    await s.step('Name of the new vault');
    await s.step('Kube context', KEY.enter);
    await s.step('Public egress IPs');
    await s.step('❯ Helm chart');
    await s.step('Secret rotation');
    await s.step('❯ Workload identity federation');
    await s.step('Name of the managed identity');
    await s.step('Watch the path to the vault');
    await s.step('Where are Feathr', KEY.down);
    await s.step('❯ A .env file');
    await s.step('Path of the .env file');
    const decision = await waitForText(s.lastFrame, 'A secret name needs a decision');
    expect(decision).toContain("FOO.BAR (from .env ./feathr.env) has '.'");
    expect(decision).toContain('e.g. to FOO_BAR');
    expect(decision).not.toContain('in the vault');
    names[0] = 'FOO_BAR';
    await s.step('❯ Read the sources again');
    const table = await waitForText(s.lastFrame, 'Continue to the plan');
    expect(table).toMatch(/FOO_BAR\s+→ FOO-BAR/);
    s.unmount();
  });

  it('the .env path is a placeholder that typing replaces, and a missing file shows as you type', async () => {
    const base = defaultWorldPort({ envFileNames: ['CONN_STR'] });
    const port = {
      ...base,
      envFileNames: async (path: string) =>
        path === './feathr.env' ? ['CONN_STR'] : Promise.reject(new Error(`Can't find the env file ${path}.`)),
    };
    const s = session(port);
    await s.step('Press enter to start');
    await s.step('❯ Azure (AKS)', KEY.down);
    await s.step('❯ Another cloud', KEY.enter);
    await s.step('Azure subscription');
    await s.step('Resource group');
    await s.step('Azure region');
    await s.step('❯ Create a new vault');
    await s.step('Name of the new vault');
    await s.step('Kube context', KEY.enter);
    await s.step('Public egress IPs');
    await s.step('❯ Helm chart');
    await s.step('Secret rotation');
    await s.step('❯ Workload identity federation');
    await s.step('Name of the managed identity');
    await s.step('Watch the path to the vault');
    await s.step('Where are Feathr', KEY.down);
    await s.step('❯ A .env file');
    await waitForText(s.lastFrame, 'Path of the .env file');
    s.stdin.write('./nope.env');
    // Typed text replaces the placeholder (nothing to erase first), and the missing file shows before Enter.
    const missing = await waitForText(s.lastFrame, "Can't find the env file ./nope.env.");
    expect(missing).toContain('./nope.env');
    expect(missing).not.toContain('./feathr.env./nope.env');
    s.stdin.write(KEY.enter);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.lastFrame()).toContain('Path of the .env file');
    for (let i = 0; i < './nope.env'.length; i += 1) s.stdin.write('\u007F');
    await waitForFrame(s.lastFrame, (f) => !f.includes("Can't find"));
    s.stdin.write(KEY.enter);
    await waitForText(s.lastFrame, 'Secrets to migrate: 1');
    s.unmount();
  });

  it.each([
    ['no driver on the cluster', undefined, false],
    [
      'a driver a Helm release installed',
      {
        driverRegistered: true,
        crdsInstalled: true,
        azureProviderInstalled: true,
        installedBy: 'helm',
        helmRelease: { name: 'csi', namespace: 'kube-system' },
        syncSecretEnabled: true,
        rotationEnabled: true,
        nodes: [],
      },
      true,
    ],
  ] as const)('"use the installed driver" is offered only when one is detected: %s', async (_name, state, offered) => {
    const port = { ...defaultWorldPort(), csiState: async () => state as never };
    const s = session(port);
    await s.step('Press enter to start');
    await s.step('❯ Azure (AKS)', KEY.down);
    await s.step('❯ Another cloud', KEY.enter);
    await s.step('Azure subscription');
    await s.step('Resource group');
    await s.step('Azure region');
    await s.step('❯ Create a new vault');
    await s.step('Name of the new vault');
    await s.step('Kube context', KEY.enter);
    await s.step('Public egress IPs');
    const csi = await waitForText(s.lastFrame, 'Secrets Store CSI driver');
    expect(csi.includes('Use the driver that is installed')).toBe(offered);
    if (offered) expect(csi).toContain('❯ Use the driver that is installed (by helm)');
    s.unmount();
  });

  it("the egress screen lists each node's address, and names a node the edited list leaves out", async () => {
    const s = session();
    await s.step('Press enter to start');
    await s.step('❯ Azure (AKS)', KEY.down);
    await s.step('❯ Another cloud', KEY.enter);
    await s.step('Azure subscription');
    await s.step('Resource group');
    await s.step('Azure region');
    await s.step('❯ Create a new vault');
    await s.step('Name of the new vault');
    await s.step('Kube context', KEY.enter);
    const ips = await waitForText(s.lastFrame, 'Public egress IPs');
    expect(ips).toContain('ip-192-168-2-10.ec2.internal: 52.14.20.2');
    expect(ips).not.toContain('leaves out');
    // Drop the second address: the node that leaves from it is named, with the address.
    for (let i = 0; i < ', 52.14.20.2'.length; i += 1) s.stdin.write('\u007F');
    const warned = await waitForText(s.lastFrame, 'leaves out');
    expect(warned).toContain(
      '‼ node ip-192-168-2-10.ec2.internal egresses from 52.14.20.2, which this list leaves out',
    );
    s.unmount();
  });

  it('missing Feathr variables typed into masked prompts: bullets only, handed to the run, named in the saved preset without a value', async () => {
    const s = session(defaultWorldPort({ envFileNames: ['FEATHRCI_HOST', 'CONN_STR'] }));
    const secret = 'p@ss-canary-91';
    await s.step('Press enter to start');
    for (const marker of [
      '❯ Azure (AKS)',
      'Azure subscription',
      'Resource group',
      'Azure region',
      '❯ Create a new vault',
      'feathr-kv-ssss',
      'AKS cluster',
      'Kube context',
      "VNet for the vault's private endpoint",
      'Name of the new subnet',
      'Address range',
      'Secrets Store CSI driver',
      'Secret rotation',
      'Identity the Feathr pods use',
      'Watch the path to the vault',
    ])
      await s.step(marker);
    await s.step('Where are Feathr', KEY.down);
    await s.step('❯ A .env file');
    await s.step('Path of the .env file');
    const table = await waitForText(s.lastFrame, 'Type the missing values');
    expect(table).toContain('Feathr also reads FEATHRCI_PASS, FEATHRCI_TABLE');
    s.stdin.write(KEY.down);
    await s.step('❯ Type the missing values');
    await waitForText(s.lastFrame, 'Value of FEATHRCI_PASS');
    s.stdin.write(secret);
    const masked = await waitForText(s.lastFrame, '•'.repeat(secret.length));
    expect(masked).not.toContain(secret);
    s.stdin.write(KEY.enter);
    // Enter on an empty value skips the other five.
    for (const env of ['FEATHRCI_TABLE', 'IPGEOLOCATION_APIKEY', 'COSMOS_ACCOUNT', 'COSMOS_API_KEY', 'COSMOS_DATABASE'])
      await s.step(`Value of ${env}`);
    const after = await waitForText(s.lastFrame, 'Continue to the plan');
    expect(after).toMatch(/FEATHRCI_PASS\s+→ FEATHRCI-PASS\s+typed/);
    expect(after).toContain('Forget the typed value (FEATHRCI_PASS)');
    s.stdin.write(KEY.enter);
    await s.step('Apply this plan?');
    const offer = await waitForText(s.lastFrame, 'Save these answers');
    expect(offer).toContain('FEATHRCI_PASS was typed in the wizard');
    s.stdin.write(KEY.down);
    await s.step('❯ Yes, save');
    await s.step('Preset file');
    await waitForText(s.lastFrame, 'Preset saved to feathr-kv-preset.yaml');
    expect(s.runner.prompted).toEqual([[{ env: 'FEATHRCI_PASS', source: 'typed in the wizard', value: secret }]]);
    expect(s.runner.configs[0]!.secrets.sources).toEqual([{ envFile: './feathr.env' }]);
    const text = readFileSync(join(s.dir, 'feathr-kv-preset.yaml'), 'utf8');
    expect(text).not.toContain(secret);
    expect(parse(text).secrets.sources).toEqual([{ envFile: './feathr.env' }, { env: ['FEATHRCI_PASS'] }]);
    expect(validateConfig(parse(text)).ok).toBe(true);
    expect(s.frames.some((f) => f.includes(secret))).toBe(false);
    s.unmount();
  });
});
