/**
 * Every input a later step would refuse is refused before the first write. Each case below is
 * a failure that used to show up only after the vault, identity, roles, firewall and CSI driver
 * were made; now the run ends with exit 1 in preflight (or at the preset check), names the
 * field and the fix, and the sandbox's own request log (GET /_sandbox/requests) holds zero
 * writes. Then the same preset with the fix applies with exit 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { delimiter, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { resultEvent, startSandboxCli, type SandboxCli } from '../hostile/sandbox-cli.js';
import { DEFAULT_WORLD } from '../../source/sandbox/world/default-world.js';

let cli: SandboxCli;
let allowlist: Record<string, any>;
let wi: Record<string, any>;
let aks: Record<string, any>;
let seq = 0;
const SP_ENV = { FEATHR_SP_SECRET: 'sandbox-feathr-sp-secret' };

beforeAll(async () => {
  // helm template runs offline with the real helm (the one the test tools unpack).
  process.env.PATH = `${resolve('.tools/helm3')}${delimiter}${process.env.PATH ?? ''}`;
  cli = await startSandboxCli();
  allowlist = parse(await readFile('presets/other-cloud-allowlist.yaml', 'utf8'));
  wi = parse(await readFile('presets/other-cloud-workload-identity.yaml', 'utf8'));
  aks = parse(await readFile('presets/aks-private-endpoint.yaml', 'utf8'));
}, 60_000);
afterAll(async () => cli?.close());

/** The sandbox's control API over HTTPS, as any client would use it. */
async function control(method: 'GET' | 'POST', path: string): Promise<string> {
  const ca = await readFile(join(cli.dir, 'sandbox-ca.pem'));
  return new Promise<string>((resolve, reject) => {
    const req = request(
      `${cli.sandbox.url}${path}`,
      { method, ca, headers: { authorization: `Bearer ${cli.sandbox.tokenFor(cli.sandbox.state.operatorId)}` } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function sandboxWrites(): Promise<{ method: string; path: string }[]> {
  return (
    JSON.parse(await control('GET', '/_sandbox/requests')) as {
      requests: { method: string; path: string; write: boolean }[];
    }
  ).requests.filter((r) => r.write);
}

async function presetFile(doc: Record<string, any>, files: Record<string, string> = {}): Promise<string> {
  const name = `case-${++seq}`;
  for (const [file, text] of Object.entries(files)) await writeFile(join(cli.dir, `${name}-${file}`), text);
  const fixed = JSON.parse(JSON.stringify(doc).replaceAll('@FILE@', `./${name}-`));
  const path = join(cli.dir, `${name}.yaml`);
  await writeFile(path, stringify(fixed));
  return path;
}

interface LateCase {
  name: string;
  bad: () => Promise<string>;
  env?: Record<string, string>;
  /** What the message must name: the field, and the fix. */
  says: RegExp[];
  fixed: () => Promise<string>;
  fixedEnv?: Record<string, string>;
}

const withSecrets = (doc: Record<string, any>, secrets: Record<string, any>) => ({ ...doc, secrets });
const envFile = (extra: Record<string, any> = {}) => ({ sources: [{ envFile: '@FILE@feathr.env' }], ...extra });

const cases: LateCase[] = [
  {
    name: 'FOO.BAR renamed with --rename-style secrets.rename (a name no shell can read)',
    bad: () =>
      presetFile(withSecrets(wi, envFile({ rename: { 'FOO.BAR': 'FOO-BAR' } })), {
        'feathr.env': 'FOO.BAR=v1\nCONN_STR=v2\n',
      }),
    says: [/FOO\.BAR/, /environment variable name/, /FOO_BAR/],
    fixed: () => presetFile(withSecrets(wi, envFile()), { 'feathr.env': 'FOO_BAR=v1\nCONN_STR=v2\n' }),
  },
  {
    name: 'conn-str next to CONN_STR, renamed in the vault as the collision fix',
    bad: () =>
      presetFile(withSecrets(wi, envFile({ rename: { 'conn-str': 'CONN-STR-2' } })), {
        'feathr.env': 'CONN_STR=v1\nconn-str=v2\n',
      }),
    says: [/conn-str/, /environment variable name/, /conn_str/],
    fixed: () =>
      presetFile(withSecrets(wi, envFile({ rename: { conn_str: 'CONN-STR-2' } })), {
        'feathr.env': 'CONN_STR=v1\nconn_str=v2\n',
      }),
  },
  {
    name: 'an empty .env as the only source',
    bad: () => presetFile(withSecrets(wi, envFile()), { 'feathr.env': '' }),
    says: [/secrets\.sources\[0\]\.envFile/, /is empty/, /NAME=value/],
    fixed: () => presetFile(withSecrets(wi, envFile()), { 'feathr.env': 'CONN_STR=v1\n' }),
  },
  {
    name: '"use the installed driver" on a cluster that has none',
    bad: () => presetFile({ ...wi, csi: { ...wi.csi, install: 'existing' } }),
    says: [/csi\.install/, /no Secrets Store CSI driver|isn't installed/i, /csi\.install: helm/],
    fixed: () => presetFile(wi),
  },
  {
    name: 'the service principal secret variable is not set',
    bad: () => presetFile(allowlist),
    env: {},
    says: [/FEATHR_SP_SECRET/, /isn't set|not set/, /identity\.servicePrincipal\.clientSecretEnv/],
    fixed: () => presetFile(allowlist),
    fixedEnv: SP_ENV,
  },
  {
    name: 'Feathr chart values the chart schema refuses',
    bad: () => presetFile({ ...wi, feathr: { ...wi.feathr, values: { replicaCount: 'two' } } }),
    says: [/feathr\.values/, /replicaCount/],
    fixed: () => presetFile({ ...wi, feathr: { ...wi.feathr, values: { replicaCount: 1 } } }),
  },
  {
    name: '"use the installed driver" on AKS with the add-on off',
    bad: () => presetFile({ ...aks, csi: { ...aks.csi, install: 'existing' } }),
    says: [/csi\.install/, /aks-addon|helm/],
    fixed: () => presetFile(aks),
  },
];

describe('late failures end before the first write', () => {
  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: exit 1 with the field and the fix, zero writes; fixed, it applies',
    async (_name, c) => {
      // Each case starts from the default world: an earlier case's install must not make it pass.
      await control('POST', '/_sandbox/reset');
      const bad = await cli.run(['--preset', await c.bad(), '--yes', '--output', 'json'], c.env ?? SP_ENV);
      const result = resultEvent(bad.stdout);
      const text = [result?.error?.message, ...(result?.error?.details ?? []), result?.error?.hint, bad.stdout].join(
        '\n',
      );
      expect(bad.code, text.slice(-3000)).toBe(1);
      for (const pattern of c.says) expect(text).toMatch(pattern);
      // Refused by the preset check or the preflight, never by a plan step or later.
      expect(result?.error?.message).toMatch(
        /^(The preset .* has \d+ problems?:|\d+ preflight checks? fails?, so nothing was changed)/,
      );
      expect(await sandboxWrites()).toEqual([]);

      // The run reads the secret variable from its own environment, as a user's shell sets it.
      const fixedEnv = c.fixedEnv ?? SP_ENV;
      Object.assign(process.env, fixedEnv);
      try {
        const good = await cli.run(['--preset', await c.fixed(), '--yes', '--output', 'json'], fixedEnv);
        expect(good.code, good.stdout.slice(-3000)).toBe(0);
      } finally {
        for (const name of Object.keys(fixedEnv)) delete process.env[name];
      }
    },
    120_000,
  );

  it('a Kubernetes Secret whose key no shell accepts (read from the cluster, not the preset): refused in preflight, zero writes', async () => {
    const world = structuredClone(DEFAULT_WORLD) as any;
    const eks = world.clusters.find((c: { context: string }) => c.context === 'feathr-eks');
    eks.namespaces.push({
      name: 'odd',
      labels: {},
      serviceAccounts: [],
      secrets: [
        {
          name: 'odd-secret',
          type: 'Opaque',
          labels: {},
          annotations: {},
          data: { 'FOO.BAR': 'sandbox-value', CONN_STR: 'sandbox-value-2' },
        },
      ],
    });
    const own = await startSandboxCli({ world });
    try {
      const doc = {
        ...wi,
        secrets: { sources: [{ kubernetesSecret: { namespace: 'odd', name: 'odd-secret' } }], rename: {} },
      };
      const file = join(own.dir, 'odd.yaml');
      await writeFile(file, stringify(doc));
      const run = await own.run(['--preset', file, '--yes', '--output', 'json']);
      const result = resultEvent(run.stdout);
      const text = [result?.error?.message, ...(result?.error?.details ?? []), result?.error?.hint].join('\n');
      expect(run.code, text).toBe(1);
      expect(text).toMatch(/FOO\.BAR/);
      expect(text).toMatch(/FOO_BAR/);
      expect(result?.error?.message).toMatch(/^\d+ preflight checks? fails?, so nothing was changed/);
      expect(run.requests.filter((r) => r.write)).toEqual([]);
    } finally {
      await own.close();
    }
  }, 120_000);
});
