import { describe, expect, it } from 'vitest';
import { ExternalCommandError } from '../../source/kernel/errors.js';
import { allArgv, CSI_NAMED_OBJECTS, standInAdapter } from './stand-in-harness.js';

const CANARY = 'canary-S3cr3t-value-7f3a';
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('KubectlHelmAdapter: context and kubectl basics', () => {
  it('reads the current context once and pins every kubectl and helm call to it', async () => {
    const { adapter, calls } = await standInAdapter(
      [
        { tool: 'kubectl', args: ['config', 'current-context'], stdout: 'feathr-aks\n' },
        { tool: 'kubectl', args: ['namespace/feathr'], stdout: '' },
        { tool: 'helm', args: ['list', '--filter'], stdout: '[]' },
      ],
      { context: undefined },
    );
    expect(adapter.context).toBe('feathr-aks');
    expect(await adapter.ensureNamespace('feathr', { 'app.kubernetes.io/managed-by': 'feathr-kv-setup' })).toBe(
      'created',
    );
    expect(await adapter.helmStatus('feathr-online', 'feathr')).toBeNull();
    const recorded = calls();
    expect(recorded.map((c) => [c.tool, ...c.argv])).toEqual([
      ['kubectl', 'config', 'current-context'],
      // The namespace is asked for beside the CSI driver's named objects (the gather's first read).
      [
        'kubectl',
        'get',
        'namespace/feathr',
        ...CSI_NAMED_OBJECTS,
        '--ignore-not-found',
        '--output',
        'name',
        '--context',
        'feathr-aks',
      ],
      ['kubectl', 'apply', '--filename', '-', '--context', 'feathr-aks'],
      [
        'helm',
        'list',
        '--namespace',
        'feathr',
        '--filter',
        '^feathr-online$',
        '--deployed',
        '--failed',
        '--pending',
        '--uninstalling',
        '--output',
        'json',
        '--kube-context',
        'feathr-aks',
      ],
    ]);
    expect(JSON.parse(recorded[2]!.stdin)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'feathr', labels: { 'app.kubernetes.io/managed-by': 'feathr-kv-setup' } },
    });
  });

  it('creates the service-principal Secret from stdin, labelled, with nothing secret on argv', async () => {
    // The API server's answer: the Secret as stored, with a label someone else added.
    const stored = {
      kind: 'Secret',
      metadata: { name: 'secrets-store-creds', namespace: 'feathr', labels: { used: 'true', team: 'data' } },
      data: { clientid: b64('app-id'), clientsecret: b64(CANARY) },
    };
    const { adapter, calls } = await standInAdapter([{ tool: 'kubectl', args: ['apply'], stdout: stored }]);
    await adapter.applySecret(
      'feathr',
      'secrets-store-creds',
      { clientid: 'app-id', clientsecret: CANARY },
      { 'secrets-store.csi.k8s.io/used': 'true' },
    );
    const [call] = calls();
    expect(call!.argv).toEqual(['apply', '--filename', '-', '--output', 'json', '--context', 'feathr-eks']);
    // What kubectl printed is the Secret's reading: reading it back asks kubectl nothing more.
    expect(await adapter.secretLabels('feathr', 'secrets-store-creds')).toEqual({ used: 'true', team: 'data' });
    expect(await adapter.readSecret('feathr', 'secrets-store-creds')).toEqual({
      clientid: 'app-id',
      clientsecret: CANARY,
    });
    expect(calls()).toHaveLength(1);
    const manifest = JSON.parse(call!.stdin);
    expect(manifest).toMatchObject({
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'secrets-store-creds',
        namespace: 'feathr',
        labels: { 'secrets-store.csi.k8s.io/used': 'true' },
      },
    });
    expect(manifest.data.clientsecret).toBe(b64(CANARY));
    expect(allArgv(calls())).not.toContain(CANARY);
    expect(allArgv(calls())).not.toContain(b64(CANARY));
  });

  it('never lets a failing apply echo the Secret it was given into the error', async () => {
    const echo = `Error from server (Invalid): clientsecret: Invalid value: "${CANARY}" (${b64(CANARY)})\n`;
    const { adapter } = await standInAdapter([{ tool: 'kubectl', args: ['apply'], stderr: echo, exitCode: 1 }]);
    const error = (await adapter
      .applySecret('feathr', 'secrets-store-creds', { clientsecret: CANARY }, {})
      .catch((e: unknown) => e)) as ExternalCommandError;
    expect(error).toBeInstanceOf(ExternalCommandError);
    const shown = `${error.message}\n${error.stderr}\n${JSON.stringify(error)}`;
    expect(shown).toContain('[redacted]');
    expect(shown).not.toContain(CANARY);
    expect(shown).not.toContain(b64(CANARY));
  });

  it('reads a Secret decoded, its keys, and null when it is absent', async () => {
    const secret = {
      kind: 'Secret',
      metadata: { name: 'feathr-online-secret' },
      data: { CONN_STR: b64('Server=x'), FEATHRCI_PASS: b64(CANARY) },
    };
    const { adapter, calls } = await standInAdapter([
      { tool: 'kubectl', args: ['secret', 'feathr-online-secret'], stdout: secret },
    ]);
    expect(await adapter.readSecret('legacy', 'feathr-online-secret')).toEqual({
      CONN_STR: 'Server=x',
      FEATHRCI_PASS: CANARY,
    });
    expect(await adapter.secretKeys('legacy', 'feathr-online-secret')).toEqual(['CONN_STR', 'FEATHRCI_PASS']);
    expect(await adapter.readSecret('legacy', 'missing')).toBeNull();
    expect(calls()[0]!.argv).toEqual([
      'get',
      'secret',
      'feathr-online-secret',
      '--namespace',
      'legacy',
      '--ignore-not-found',
      '--output',
      'json',
      '--context',
      'feathr-eks',
    ]);
  });

  it('answers auth can-i yes and no (exit 1) and reports an unreachable server', async () => {
    const { adapter, calls } = await standInAdapter([
      { tool: 'kubectl', args: ['can-i', 'create', 'namespaces'], stdout: 'yes\n' },
      { tool: 'kubectl', args: ['can-i', 'create', 'secrets'], stdout: 'no\n', exitCode: 1 },
      {
        tool: 'kubectl',
        args: ['version'],
        stdout: '{"clientVersion":{"gitVersion":"v1.32.3"}}',
        stderr: 'Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout\n',
        exitCode: 1,
      },
    ]);
    expect(await adapter.canI('create', 'namespaces')).toBe(true);
    expect(await adapter.canI('create', 'secrets', 'feathr')).toBe(false);
    expect(await adapter.reachability()).toEqual({
      reachable: false,
      error: 'Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout',
    });
    expect(calls()[1]!.argv).toEqual([
      'auth',
      'can-i',
      'create',
      'secrets',
      '--namespace',
      'feathr',
      '--context',
      'feathr-eks',
    ]);
  });

  it('turns a kubectl failure into ExternalCommandError with command, args and stderr', async () => {
    const { adapter } = await standInAdapter([
      {
        tool: 'kubectl',
        args: ['apply'],
        stderr: 'error: the server doesn\'t have a resource type "secretproviderclasses"\n',
        exitCode: 1,
      },
    ]);
    const error = await adapter.applyManifest('{"kind":"SecretProviderClass"}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalCommandError);
    expect(error).toMatchObject({
      command: 'kubectl',
      args: ['apply', '--filename', '-', '--context', 'feathr-eks'],
      stderr: expect.stringContaining('secretproviderclasses'),
      message: 'kubectl apply failed: error: the server doesn\'t have a resource type "secretproviderclasses"',
    });
  });

  it('lists labelled objects, deletes objects and reads warning events', async () => {
    const { adapter, calls } = await standInAdapter([
      {
        tool: 'kubectl',
        args: ['get', 'secret', '--selector'],
        stdout: {
          items: [
            { kind: 'Secret', metadata: { name: 'secrets-store-creds', namespace: 'feathr', labels: { a: 'b' } } },
          ],
        },
      },
      { tool: 'kubectl', args: ['delete', 'secret', 'gone'], stdout: '' },
      { tool: 'kubectl', args: ['delete'], stdout: 'secret/x\n' },
      {
        tool: 'kubectl',
        args: ['events'],
        stdout: {
          items: [
            {
              involvedObject: { kind: 'Pod', name: 'feathr-online-1' },
              reason: 'FailedMount',
              message: 'MountVolume.SetUp failed',
            },
          ],
        },
      },
    ]);
    expect(await adapter.listLabelled('secret', 'app.kubernetes.io/managed-by=feathr-kv-setup')).toEqual([
      { kind: 'Secret', namespace: 'feathr', name: 'secrets-store-creds', labels: { a: 'b' } },
    ]);
    expect(await adapter.deleteObject('secret', 'feathr', 'gone')).toBe('absent');
    expect(await adapter.deleteObject('secret', 'feathr', 'x')).toBe('deleted');
    expect(await adapter.warningEvents('feathr')).toEqual([
      { object: 'Pod/feathr-online-1', reason: 'FailedMount', message: 'MountVolume.SetUp failed' },
    ]);
    expect(calls().map((c) => c.argv)).toEqual([
      [
        'get',
        'secret',
        '--selector',
        'app.kubernetes.io/managed-by=feathr-kv-setup',
        '--all-namespaces',
        '--output',
        'json',
        '--context',
        'feathr-eks',
      ],
      [
        'delete',
        'secret',
        'gone',
        '--namespace',
        'feathr',
        '--ignore-not-found',
        '--output',
        'name',
        '--context',
        'feathr-eks',
      ],
      [
        'delete',
        'secret',
        'x',
        '--namespace',
        'feathr',
        '--ignore-not-found',
        '--output',
        'name',
        '--context',
        'feathr-eks',
      ],
      [
        'get',
        'events',
        '--namespace',
        'feathr',
        '--field-selector',
        'type=Warning',
        '--output',
        'json',
        '--context',
        'feathr-eks',
      ],
    ]);
  });
  it('lists several kinds in one call, and one by one when the cluster no longer serves one of them', async () => {
    const unserved = 'error: the server doesn\'t have a resource type "secretproviderclass"\n';
    const secret = { kind: 'Secret', metadata: { namespace: 'feathr', name: 'synced', labels: { a: 'b' } } };
    const { adapter, calls } = await standInAdapter([
      {
        tool: 'kubectl',
        args: ['get', 'secret,configmap'],
        stdout: { items: [secret, { ...secret, kind: 'ConfigMap' }] },
      },
      { tool: 'kubectl', args: ['get', 'secretproviderclass,secret'], exitCode: 1, stderr: unserved },
      { tool: 'kubectl', args: ['get', 'secretproviderclass'], exitCode: 1, stderr: unserved },
      { tool: 'kubectl', args: ['get', 'secret'], stdout: { items: [secret] } },
    ]);
    expect((await adapter.listLabelled('secret,configmap', 'x=y', 'feathr')).map((o) => o.kind)).toEqual([
      'Secret',
      'ConfigMap',
    ]);
    expect(calls()).toHaveLength(1);
    expect(await adapter.listLabelled('secretproviderclass,secret', 'x=y', 'feathr')).toEqual([
      { kind: 'Secret', namespace: 'feathr', name: 'synced', labels: { a: 'b' } },
    ]);
    const kinds = calls().map((c) => c.argv[1]);
    expect(kinds.slice(0, 2)).toEqual(['secret,configmap', 'secretproviderclass,secret']);
    // The one-by-one calls go side by side.
    expect(kinds.slice(2).sort()).toEqual(['secret', 'secretproviderclass']);
  });

  it("reads a release's SecretProviderClass and synced Secret in one call, and each alone when that fails", async () => {
    const spc = {
      kind: 'SecretProviderClass',
      metadata: { namespace: 'feathr', name: 'kv' },
      spec: { parameters: {} },
    };
    const synced = { kind: 'Secret', metadata: { namespace: 'feathr', name: 'synced' }, data: { CONN_STR: b64('x') } };
    const both = await standInAdapter([
      { tool: 'kubectl', args: ['get', 'secretproviderclass/kv', 'secret/synced'], stdout: { items: [spc, synced] } },
    ]);
    expect(await both.adapter.getSecretProviderClass('feathr', 'kv', 'synced')).toEqual(spc);
    expect(await both.adapter.secretKeys('feathr', 'synced')).toEqual(['CONN_STR']);
    expect(both.calls().map((c) => c.argv.slice(0, 3))).toEqual([['get', 'secretproviderclass/kv', 'secret/synced']]);

    const denied = 'Error from server (Forbidden): secrets "synced" is forbidden\n';
    const alone = await standInAdapter([
      { tool: 'kubectl', args: ['get', 'secretproviderclass/kv', 'secret/synced'], exitCode: 1, stderr: denied },
      { tool: 'kubectl', args: ['get', 'secretproviderclass', 'kv'], stdout: spc },
      { tool: 'kubectl', args: ['get', 'secret', 'synced'], exitCode: 1, stderr: denied },
    ]);
    expect(await alone.adapter.getSecretProviderClass('feathr', 'kv', 'synced')).toEqual(spc);
    // Nothing was kept from the failed call: the Secret's own read names the denial.
    await expect(alone.adapter.secretKeys('feathr', 'synced')).rejects.toThrow(/forbidden/);
    expect(alone.calls().map((c) => c.argv.slice(0, 3))).toEqual([
      ['get', 'secretproviderclass/kv', 'secret/synced'],
      ['get', 'secretproviderclass', 'kv'],
      ['get', 'secret', 'synced'],
    ]);
  });
});
