/**
 * Canary secret values through every path of the real CLI (in-process, against a sandbox via
 * --sandbox-url): a preset's .env and environment sources, the service principal's secret,
 * text and JSON output, --log-file, --save-preset, plan and dry-run, a failing data-plane write
 * and a failing helm install; then the sandbox's request log, cluster view and ARM resources,
 * the written-secrets record and a private TMPDIR. No canary, in no encoding, may appear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createFaultPlan } from '../../source/sandbox/faults.js';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import { startSandboxCli, type SandboxCli } from '../hostile/sandbox-cli.js';
import { filesUnder, findCanaries, makeCanary } from './canaries.js';
import { kubectl } from '../helpers/kube-tools.js';

const FEATHR_VARS = [
  'FEATHRCI_HOST',
  'FEATHRCI_PASS',
  'FEATHRCI_TABLE',
  'IPGEOLOCATION_APIKEY',
  'CONN_STR',
  'COSMOS_ACCOUNT',
  'COSMOS_API_KEY',
  'COSMOS_DATABASE',
];
const canaries: Record<string, string> = Object.fromEntries(
  [...FEATHR_VARS, 'REDIS_PASSWORD', 'FEATHR_SP_SECRET'].map((name) => [name, makeCanary(name)]),
);

let cli: SandboxCli;
let root: string;
let privateTmp: string;
const saved: { TMPDIR?: string; state?: string } = {};
/** Everything the runs printed or wrote, by where it came from. */
const outputs: { where: string; text: string }[] = [];

async function presetFile(name: string, edit: (doc: Record<string, any>) => void): Promise<string> {
  const doc = parse(await readFile(`presets/${name}.yaml`, 'utf8'));
  edit(doc);
  const file = join(cli.dir, `${name}-${outputs.length}.yaml`);
  await writeFile(file, stringify(doc));
  return file;
}

const sources = (doc: Record<string, any>) => {
  doc.secrets.sources = [{ envFile: './canary.env' }, { env: ['REDIS_PASSWORD'] }];
  // The kv-monitor rides along: its values, plan line and history go through the same scan.
  doc.feathr.monitor = { enabled: true };
};
const servicePrincipal = (doc: Record<string, any>) => {
  sources(doc);
  // The sandbox world's service principal (its clientId and objectId).
  doc.identity.servicePrincipal = {
    clientId: '00000000-0000-0000-0000-00000000b002',
    objectId: '00000000-0000-0000-0000-00000000b001',
    clientSecretEnv: 'FEATHR_SP_SECRET',
  };
};

async function run(label: string, argv: string[]): Promise<number> {
  const log = join(cli.dir, `${label}.log`);
  const result = await cli.run([...argv, '--log-file', log]);
  outputs.push({ where: `${label}: stdout+stderr`, text: result.all });
  outputs.push({
    where: `${label}: request paths`,
    text: result.requests.map((r) => `${r.method} ${r.path}`).join('\n'),
  });
  if (existsSync(log)) outputs.push({ where: `${label}: --log-file`, text: await readFile(log, 'utf8') });
  return result.code;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kv-leaks-'));
  cli = await startSandboxCli();
  // A private temp dir and state dir for this worker, so "what was left behind" is only ours.
  privateTmp = join(root, 'tmp');
  await mkdir(privateTmp);
  saved.TMPDIR = process.env.TMPDIR;
  saved.state = process.env.FEATHR_KV_SETUP_STATE_DIR;
  process.env.TMPDIR = privateTmp;
  process.env.FEATHR_KV_SETUP_STATE_DIR = join(root, 'state');
  process.env.REDIS_PASSWORD = canaries.REDIS_PASSWORD;
  process.env.FEATHR_SP_SECRET = canaries.FEATHR_SP_SECRET;
  // The sandbox's service principal accepts the canary as its client secret, so the mount works.
  const sp = [...cli.sandbox.state.principals.values()].find(
    (p) => p.clientId === '00000000-0000-0000-0000-00000000b002',
  );
  if (!sp) throw new Error('the sandbox world has no service principal 00000000-0000-0000-0000-00000000b002');
  sp.clientSecret = canaries.FEATHR_SP_SECRET;
  await writeFile(
    join(cli.dir, 'canary.env'),
    FEATHR_VARS.map((name) => `${name}=${canaries[name]}`).join('\n') + '\n',
  );
});

afterAll(async () => {
  for (const [key, value] of [
    ['TMPDIR', saved.TMPDIR],
    ['FEATHR_KV_SETUP_STATE_DIR', saved.state],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  delete process.env.REDIS_PASSWORD;
  delete process.env.FEATHR_SP_SECRET;
  await cli?.close();
  await rm(root, { recursive: true, force: true });
});

describe('canary secret values never leave their destinations', () => {
  it('azure preset: plan, dry-run, apply (text) with --save-preset, and a re-run', async () => {
    const preset = await presetFile('aks-private-endpoint', sources);
    await run('azure-plan', ['plan', '--preset', preset]);
    await run('azure-dry-run', ['--preset', preset, '--dry-run', '--yes']);
    const savedPreset = join(cli.dir, 'saved-azure.yaml');
    await run('azure-apply', ['--preset', preset, '--yes', '--save-preset', savedPreset]);
    if (existsSync(savedPreset))
      outputs.push({ where: 'azure: --save-preset', text: await readFile(savedPreset, 'utf8') });
    await run('azure-rerun', ['--preset', preset, '--yes', '--output', 'json']);
    // A kv-monitor run the real way; its ConfigMap, Events and log join the scan, then check
    // prints its history above the live results.
    const k = (...args: string[]) => kubectl(cli.sandbox, 'feathr-aks', args);
    await k('create', 'job', 'leak-monitor', '--from=cronjob/feathr-online-kv-monitor', '-n', 'feathr');
    outputs.push({
      where: 'kv-monitor: ConfigMap',
      text: await k('get', 'configmap', 'feathr-online-kv-monitor', '-n', 'feathr', '-o', 'yaml'),
    });
    outputs.push({ where: 'kv-monitor: Events', text: await k('get', 'events', '-n', 'feathr', '-o', 'yaml') });
    const log = await k('logs', 'job/leak-monitor', '-n', 'feathr');
    expect(log).toContain('FEATHR_MONITOR_RESULT');
    outputs.push({ where: 'kv-monitor: Job log', text: log });
    await run('azure-check', ['check', '--preset', preset]);
  });

  it('other-cloud preset with a service principal (json output)', async () => {
    const preset = await presetFile('other-cloud-allowlist', servicePrincipal);
    await run('eks-apply', ['--preset', preset, '--yes', '--output', 'json']);
  });

  it('error paths: a failing data-plane write and a failing helm install', async () => {
    const renamed = (vault: string) => (doc: Record<string, any>) => {
      servicePrincipal(doc);
      doc.vault.name = vault;
    };
    cli.sandbox.state.faults = createFaultPlan({ faults: 'dataplane-write:500@1' });
    const dataPlane = await run('dataplane-fails', [
      '--preset',
      await presetFile('other-cloud-allowlist', renamed('feathr-kv-leak-dp')),
      '--yes',
      '--output',
      'json',
    ]);
    cli.sandbox.state.faults = createFaultPlan({ faults: 'cluster/apis/apps/v1/namespaces/feathr/deployments:500@1' });
    const helm = await run('helm-fails', [
      '--preset',
      await presetFile('other-cloud-allowlist', renamed('feathr-kv-leak-helm')),
      '--yes',
    ]);
    cli.sandbox.state.faults = undefined;
    expect(dataPlane).toBe(1);
    expect(helm).toBe(1);
  });

  it('what the sandbox saw and kept: cluster view, ARM resources, request log', () => {
    outputs.push({ where: 'sandbox: /_sandbox/cluster', text: JSON.stringify(describeClusters(cli.sandbox.state)) });
    outputs.push({ where: 'sandbox: ARM resources', text: JSON.stringify([...cli.sandbox.state.resources.values()]) });
    outputs.push({ where: 'sandbox: request log', text: JSON.stringify(cli.sandbox.state.requestLog) });
    const leaks = outputs.flatMap(({ where, text }) =>
      findCanaries(text, canaries).map((found) => `${where}: ${found}`),
    );
    expect(leaks).toEqual([]);
    // The scan is not vacuous: the runs printed plenty.
    expect(outputs.filter((o) => o.where.endsWith('--log-file')).length).toBeGreaterThanOrEqual(5);
  });

  it('temp files and the written-secrets record hold no canary, and no temp file is left', () => {
    const left = filesUnder(privateTmp);
    const leaks = [...left, ...(existsSync(join(root, 'state')) ? filesUnder(join(root, 'state')) : [])].flatMap(
      (file) => findCanaries(file.text, canaries).map((found) => `${file.path}: ${found}`),
    );
    expect(leaks).toEqual([]);
    expect(left.map((f) => f.path)).toEqual([]);
  });

  it('the canaries did reach the vault (so the scan above saw a real migration)', () => {
    const vaults = [...cli.sandbox.state.vaultSecrets.values()];
    const stored = new Set(
      vaults.flatMap((secrets) => [...secrets.values()].flatMap((record) => record.versions.map((v) => v.value))),
    );
    expect(FEATHR_VARS.filter((name) => !stored.has(canaries[name]!))).toEqual([]);
    expect(stored.has(canaries.REDIS_PASSWORD!)).toBe(true);
  });
});
