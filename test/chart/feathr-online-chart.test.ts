import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CHART_DIR, CHART_GOLDEN_DIR, CHART_VALUES_DIR, IDENTITY_MODES, helmBinary, renderChart } from '../../scripts/chart-render.js';

type Manifest = { kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any };

const helms = [['helm 3.17', helmBinary('helm3')], ['helm 4.1', helmBinary('helm4')]] as const;
const valuesFile = (mode: string) => join(CHART_VALUES_DIR, `${mode}.yaml`);

function manifests(rendered: string): Manifest[] {
  return parseAllDocuments(rendered).map((doc) => doc.toJS() as Manifest).filter(Boolean);
}
const byKind = (docs: Manifest[], kind: string) => docs.filter((d) => d.kind === kind);

describe.each(helms)('charts/feathr-online with %s', (_name, helm) => {
  describe.each(IDENTITY_MODES)('identity %s', (mode) => {
    const values = parse(readFileSync(valuesFile(mode), 'utf8')) as { keyVault: { identity: Record<string, string>; secrets: { env: string; vaultName: string }[] } };
    const envs = values.keyVault.secrets.map((s) => s.env);

    it('passes helm lint', async () => {
      const run = await execa(helm, ['lint', CHART_DIR, '--values', valuesFile(mode)]);
      expect(run.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    });

    it('renders the SecretProviderClass, the synced Secret and the env mapping', async () => {
      const docs = manifests(await renderChart(helm, valuesFile(mode)));
      const [spc] = byKind(docs, 'SecretProviderClass');
      expect(spc).toBeDefined();
      const params = spc!.spec.parameters as Record<string, string>;
      expect(spc!.spec.provider).toBe('azure');
      expect(params).toMatchObject({ keyvaultName: 'feathr-kv-test', tenantID: '00000000-0000-0000-0000-0000000000aa' });
      const objects = (parse(params.objects!) as { array: string[] }).array.map((entry) => parse(entry));
      expect(objects).toContainEqual({ objectName: 'CONN-STR', objectType: 'secret', objectAlias: 'CONN_STR' });
      expect(objects.map((o) => o.objectAlias)).toEqual(envs);
      const [synced] = spc!.spec.secretObjects;
      expect(synced.type).toBe('Opaque');
      expect(synced.data.map((d: { key: string }) => d.key)).toEqual(envs);
      // The driver looks objects up by alias.
      expect(synced.data.every((d: { key: string; objectName: string }) => d.objectName === d.key)).toBe(true);

      // Exactly one identity mode in the SPC.
      const identityKeys = ['useVMManagedIdentity', 'userAssignedIdentityID', 'clientID', 'usePodIdentity'].filter((k) => k in params);
      const expected = { 'vm-managed-identity': ['useVMManagedIdentity', 'userAssignedIdentityID'], 'workload-identity': ['clientID'], 'service-principal': [] }[mode];
      expect(identityKeys).toEqual(expected);

      const [deployment] = byKind(docs, 'Deployment');
      const pod = deployment!.spec.template;
      const volume = pod.spec.volumes.find((v: any) => v.csi);
      expect(volume.csi).toMatchObject({ driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spc!.metadata.name } });
      expect(Boolean(volume.csi.nodePublishSecretRef)).toBe(mode === 'service-principal');
      const container = pod.spec.containers[0];
      const mount = container.volumeMounts.find((m: any) => m.name === volume.name);
      expect(mount).toMatchObject({ mountPath: '/mnt/secrets-store', readOnly: true });
      expect(mount.subPath).toBeUndefined();
      expect(container.env).toEqual(envs.map((env) => ({ name: env, valueFrom: { secretKeyRef: { name: synced.secretName, key: env } } })));
      expect(pod.metadata.annotations['checksum/secret-provider-class']).toMatch(/^[0-9a-f]{64}$/);
      expect(pod.metadata.labels['azure.workload.identity/use']).toBe(mode === 'workload-identity' ? 'true' : undefined);

      const [sa] = byKind(docs, 'ServiceAccount');
      expect(sa!.metadata.annotations?.['azure.workload.identity/client-id']).toBe(mode === 'workload-identity' ? values.keyVault.identity.clientId : undefined);

      const [testPod] = byKind(docs, 'Pod');
      expect(testPod!.metadata.annotations?.['helm.sh/hook']).toBe('test');
      expect(testPod!.spec.volumes[0].csi).toEqual(volume.csi);
      expect(testPod!.spec.containers[0].env).toEqual([{ name: 'EXPECTED', value: envs.join(' ') }]);

      for (const doc of docs) {
        expect(doc.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'feathr-online', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/created-by': 'feathr-kv-setup' });
      }
    });

    it('matches the golden file', async () => {
      const golden = readFileSync(join(CHART_GOLDEN_DIR, `${mode}.yaml`), 'utf8');
      expect(`${await renderChart(helm, valuesFile(mode))}\n`, 'run `npm run golden:chart` after an intended change').toBe(golden);
    });
  });

  it('restarts pods when the mapping or the rotation token changes', async () => {
    const checksum = async (...set: string[]) => {
      const run = await execa(helm, ['template', 'feathr-online', CHART_DIR, '--values', valuesFile('service-principal'), ...set]);
      const [deployment] = byKind(manifests(run.stdout), 'Deployment');
      const annotations = deployment!.spec.template.metadata.annotations;
      return `${annotations['checksum/secret-provider-class']}/${annotations['checksum/rotation']}`;
    };
    const base = await checksum();
    expect(await checksum('--set', 'keyVault.secrets[1].vaultName=IPGEO-KEY')).not.toBe(base);
    expect(await checksum('--set', 'rotation.token=second')).not.toBe(base);
  });

  it.each([
    ['bad-identity-mode', /keyVault[./]identity[./]mode.*(must be one of|value must be one of)/],
    ['empty-vault-name', /keyVault[./]name.*(Does not match pattern|does not match pattern)/],
    ['empty-tenant', /keyVault[./]tenantId.*(Does not match pattern|does not match pattern)/],
    ['invalid-object-name', /keyVault[./]secrets[./]0[./]vaultName.*\^\[0-9a-zA-Z-\]\{1,127\}\$/],
    ['bad-env-name', /keyVault[./]secrets[./]0[./]env.*(Does not match pattern|does not match pattern)/],
    ['missing-client-id', /(clientId is required|missing property 'clientId')/],
    ['no-secrets', /keyVault[./]secrets.*(at least 1 items|minItems: got 0, want 1)/],
  ])('values.schema.json rejects %s', async (file, message) => {
    const bad = join(import.meta.dirname, 'bad-values', `${file}.yaml`);
    const template = await execa(helm, ['template', 'x', CHART_DIR, '--values', bad], { reject: false });
    expect(template.exitCode).not.toBe(0);
    expect(template.stderr).toContain("values don't meet the specifications of the schema");
    expect(template.stderr).toMatch(message);
    const lint = await execa(helm, ['lint', CHART_DIR, '--values', bad], { reject: false });
    expect(lint.exitCode).not.toBe(0);
    expect(`${lint.stdout}\n${lint.stderr}`).toMatch(message);
  });
});

describe('charts/feathr-online templates', () => {
  it('hard-code no GUID, vault name, tenant or secret value', () => {
    const dir = join(CHART_DIR, 'templates');
    const files = [...readdirSync(dir).map((f) => join(dir, f)), ...readdirSync(join(dir, 'tests')).map((f) => join(dir, 'tests', f)), join(CHART_DIR, 'values.yaml')]
      .filter((f) => /\.(ya?ml|tpl|txt)$/.test(f));
    expect(files.length).toBeGreaterThan(6);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
      expect(text, file).not.toMatch(/feathr-kv-(?!setup)|feathr-aks-key-vault|keyvaultName:\s*["']?[a-z]/i);
      expect(text, file).not.toMatch(/tenantI[dD]:\s*["']?[0-9a-z]/);
      expect(text, file).not.toMatch(/clientsecret|password:\s*\S/i);
    }
  });
});
