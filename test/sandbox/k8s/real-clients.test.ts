/**
 * The real kubectl and helm judge the sandbox's Kubernetes API: both binary sets (helm 3.17 +
 * kubectl 1.32, helm 4.1 + kubectl 1.34) list, apply, patch, apply server-side, select, read
 * logs and events, ask can-i, install a chart from the sandbox's repository with --wait, and get
 * a real server's errors for what doesn't exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/start.js';
import { helmEnv, toolPaths, type ToolSet } from '../../helpers/kube-tools.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.close());

describe.each<ToolSet>(['helm3', 'helm4'])('%s', (set) => {
  const ns = `t-${set}`;
  const run = (tool: 'kubectl' | 'helm', args: string[], input?: string) =>
    execa(
      toolPaths(set)[tool],
      [...args, '--kubeconfig', sandbox.kubeconfig, tool === 'helm' ? '--kube-context' : '--context', 'feathr-eks'],
      {
        env: helmEnv(sandbox),
        reject: false,
        ...(input === undefined ? {} : { input }),
      },
    );
  const kubectl = (args: string[], input?: string) => run('kubectl', args, input);

  it("reads the version, discovery, namespaces and the world's Secrets", async () => {
    expect(JSON.parse((await kubectl(['version', '-o', 'json'])).stdout).serverVersion.gitVersion).toBe('v1.32.3');
    expect((await kubectl(['get', 'namespaces', '-o', 'name'])).stdout.split('\n')).toContain('namespace/legacy');
    expect(
      (await kubectl(['get', 'secret', 'feathr-online-secret', '-n', 'legacy', '-o', 'jsonpath={.data.CONN_STR}']))
        .stdout,
    ).not.toBe('');
    expect((await kubectl(['api-resources', '-o', 'name'])).stdout.split('\n')).toEqual(
      expect.arrayContaining(['pods', 'deployments.apps', 'selfsubjectaccessreviews.authorization.k8s.io']),
    );
  });

  it('applies, re-applies (strategic merge), patches, applies server-side and selects by label and field', async () => {
    expect((await kubectl(['create', 'namespace', ns])).stdout).toBe(`namespace/${ns} created`);
    const cm = (value: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: ns, labels: { app: 'x', tier: value } },
        data: { v: value },
      });
    expect((await kubectl(['apply', '-f', '-'], cm('one'))).stdout).toBe('configmap/c created');
    expect((await kubectl(['apply', '-f', '-'], cm('two'))).stdout).toBe('configmap/c configured');
    expect(
      (await kubectl(['patch', 'configmap', 'c', '-n', ns, '--type', 'merge', '-p', '{"data":{"w":"3"}}'])).stdout,
    ).toBe('configmap/c patched');
    const ssa = await kubectl(
      ['apply', '--server-side', '--field-manager', 'test', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', namespace: ns }, data: { a: '1' } }),
    );
    expect(ssa.stdout).toBe('configmap/d serverside-applied');
    const data = JSON.parse((await kubectl(['get', 'configmap', 'c', '-n', ns, '-o', 'json'])).stdout).data;
    expect(data).toEqual({ v: 'two', w: '3' });
    expect((await kubectl(['get', 'configmaps', '-n', ns, '-l', 'app in (x,y),tier!=one', '-o', 'name'])).stdout).toBe(
      'configmap/c',
    );
    expect(
      (await kubectl(['get', 'configmaps', '-n', ns, '--field-selector', 'metadata.name=d', '-o', 'name'])).stdout,
    ).toBe('configmap/d');
    expect((await kubectl(['delete', 'configmap', 'd', '-n', ns])).stdout).toMatch(/^configmap "d" deleted/);
  });

  it('answers unknown resources and names as a real API server does', async () => {
    const unknown = await kubectl(['get', 'widgets']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('the server doesn\'t have a resource type "widgets"');
    const missing = await kubectl(['get', 'secret', 'nope', '-n', 'legacy']);
    expect(missing.stderr).toContain('Error from server (NotFound): secrets "nope" not found');
    const noNamespace = await kubectl(['create', 'configmap', 'x', '-n', 'no-such-ns']);
    expect(noNamespace.stderr).toContain('namespaces "no-such-ns" not found');
    const spc = await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name: 'kv', namespace: 'legacy' },
        spec: { provider: 'azure' },
      }),
    );
    expect(spc.stderr).toContain(
      'no matches for kind "SecretProviderClass" in version "secrets-store.csi.x-k8s.io/v1"',
    );
    // A review can only be created: any other verb is 405 with a MethodNotAllowed Status.
    const notAllowed = await kubectl(['delete', 'selfsubjectaccessreviews.authorization.k8s.io', 'x']);
    expect(notAllowed.stderr).toContain(
      'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource',
    );
  });

  it('answers can-i, runs a Job whose pod logs and events kubectl reads', async () => {
    expect((await kubectl(['auth', 'can-i', 'create', 'secrets', '-n', ns])).stdout).toBe('yes');
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: ns },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    await kubectl(['apply', '-f', '-'], JSON.stringify(job));
    expect((await kubectl(['wait', '--for=condition=complete', 'job/j', '-n', ns, '--timeout=10s'])).stdout).toBe(
      'job.batch/j condition met',
    );
    const pod = (await kubectl(['get', 'pods', '-n', ns, '-l', 'job-name=j', '-o', 'name'])).stdout;
    expect((await kubectl(['logs', pod, '-n', ns])).exitCode).toBe(0);
    expect(
      (
        await kubectl([
          'get',
          'events',
          '-n',
          ns,
          '--field-selector',
          'reason=Scheduled',
          '-o',
          'jsonpath={.items[0].message}',
        ])
      ).stdout,
    ).toMatch(/^Successfully assigned t-helm\d\/j-\w+ to ip-/);
  });

  it('installs the provider chart from the sandbox repository with --wait, and lists it', async () => {
    const install = await run('helm', [
      'upgrade',
      '--install',
      `csi-${set}`,
      'csi-secrets-store-provider-azure',
      '--repo',
      sandbox.chartRepo,
      '--ca-file',
      sandbox.caFile,
      '--version',
      '1.8.2',
      '-n',
      ns,
      '--set',
      'secrets-store-csi-driver.syncSecret.enabled=true',
      '--wait',
      '--timeout',
      '20s',
    ]);
    expect(install.stderr).toBe('');
    const list = JSON.parse((await run('helm', ['list', '-n', ns, '-o', 'json'])).stdout);
    expect(list).toMatchObject([
      { name: `csi-${set}`, status: 'deployed', chart: 'csi-secrets-store-provider-azure-1.8.2' },
    ]);
    const pods = JSON.parse(
      (await kubectl(['get', 'pods', '-n', ns, '-l', 'app=secrets-store-csi-driver', '-o', 'json'])).stdout,
    ).items;
    // One driver pod per node, Running.
    expect(pods.map((p: any) => p.status.phase)).toEqual(['Running', 'Running']);
    expect(new Set(pods.map((p: any) => p.spec.nodeName)).size).toBe(2);
    expect((await kubectl(['get', 'clusterrole', 'secretprovidersyncing-role', '-o', 'name'])).stdout).toBe(
      'clusterrole.rbac.authorization.k8s.io/secretprovidersyncing-role',
    );
    // A person's `kubectl get pods` gets the server's table: READY and STATUS columns.
    expect((await kubectl(['get', 'pods', '-n', ns, '-l', 'app=secrets-store-csi-driver'])).stdout).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n\S+\s+3\/3\s+Running\s+0\s+/,
    );
    await run('helm', ['uninstall', `csi-${set}`, '-n', ns, '--wait']);
    expect((await kubectl(['get', 'daemonsets', '-n', ns, '-o', 'name'])).stdout).toBe('');
  });

  it("records each call with the client's user agent", () => {
    const agents = new Set(
      sandbox.state.requestLog
        .filter((entry) => entry.plane === 'cluster')
        .map((entry) => entry.userAgent?.split(/[/ ]/)[0]),
    );
    expect([...agents]).toEqual(expect.arrayContaining(['kubectl', 'Helm']));
  });
});
