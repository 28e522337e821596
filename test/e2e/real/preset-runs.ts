/**
 * Every shipped preset, end to end, through the CLI against a serving sandbox
 * (`--sandbox-url/--sandbox-ca`), with one real kubectl + helm set first on PATH; then what the
 * cluster holds is read back with that set's kubectl and helm, as a user would check it.
 */
import { delimiter } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../source/sandbox/start.js';
import { runCli } from '../../cli/run-cli.js';
import { helm, kubectl, toolPaths, type ToolSet } from '../../helpers/kube-tools.js';

const PRESETS = [
  { file: 'presets/aks-private-endpoint.yaml', context: 'feathr-aks' },
  { file: 'presets/other-cloud-allowlist.yaml', context: 'feathr-eks' },
  { file: 'presets/other-cloud-workload-identity.yaml', context: 'feathr-eks' },
];

export function presetRuns(set: ToolSet): void {
  let path: string | undefined;
  beforeAll(() => {
    // The CLI runs in this process and takes kubectl and helm from PATH.
    path = process.env.PATH;
    process.env.PATH = `${toolPaths(set).dir}${delimiter}${path ?? ''}`;
    // The allowlist preset's service principal secret (the sandbox's value), read from the environment.
    process.env.FEATHR_SP_SECRET = 'sandbox-feathr-sp-secret';
  });
  afterAll(() => {
    process.env.PATH = path;
    delete process.env.FEATHR_SP_SECRET;
  });

  it.each(PRESETS)(
    '$file succeeds; the real kubectl and helm see it deployed, mapped, synced and Running',
    async ({ file, context }) => {
      const sandbox: RunningSandbox = await startSandbox();
      try {
        const run = await runCli([
          '--preset',
          file,
          '--yes',
          '--sandbox-url',
          sandbox.url,
          '--sandbox-ca',
          sandbox.caFile,
          '--output',
          'json',
        ]);
        expect(
          run.code,
          run.stdout
            .split('\n')
            .filter((l) => /failed|"ok":false|error/.test(l))
            .join('\n') + run.stderr,
        ).toBe(0);

        expect(await helm(sandbox, context, ['status', 'feathr-online', '-n', 'feathr'], set)).toMatch(
          /^STATUS: deployed$/m,
        );
        const spc = await kubectl(sandbox, context, ['get', 'secretproviderclass', '-n', 'feathr', '-o', 'yaml'], set);
        expect(spc).toMatch(
          /objectName: CONN-STR\\n\s*objectType: secret\\n\s*objectAlias: CONN_STR|objectAlias: CONN_STR/,
        );
        expect(spc).toMatch(/objectName: CONN_STR\s+key: CONN_STR|key: CONN_STR/);
        const synced = JSON.parse(
          await kubectl(
            sandbox,
            context,
            ['get', 'secret', 'feathr-online-secrets', '-n', 'feathr', '-o', 'json'],
            set,
          ),
        );
        expect(Object.keys(synced.data).sort()).toEqual([
          'CONN_STR',
          'COSMOS_ACCOUNT',
          'COSMOS_API_KEY',
          'COSMOS_DATABASE',
          'FEATHRCI_HOST',
          'FEATHRCI_PASS',
          'FEATHRCI_TABLE',
          'IPGEOLOCATION_APIKEY',
        ]);
        const phases = await kubectl(
          sandbox,
          context,
          [
            'get',
            'pods',
            '-n',
            'feathr',
            '-l',
            // Feathr's own pods: the monitor CronJob's Jobs (on its wall-clock schedule) end Succeeded or Failed.
            'app.kubernetes.io/instance=feathr-online,app.kubernetes.io/component!=kv-monitor',
            '-o',
            'jsonpath={.items[*].status.phase}',
          ],
          set,
        );
        expect(phases.split(' ').filter(Boolean)).toEqual(expect.arrayContaining(['Running']));
        expect(phases.split(' ').every((phase) => phase === 'Running')).toBe(true);

        // The cluster calls came from kubectl and Helm themselves.
        const agents = new Set(
          sandbox.state.requestLog
            .filter((r) => r.plane === 'cluster' && r.write)
            .map((r) => r.userAgent?.split('/')[0]),
        );
        expect(agents).toEqual(new Set(['kubectl', 'Helm']));
      } finally {
        await sandbox.close();
      }
    },
  );
}
