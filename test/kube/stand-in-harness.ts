/** Builds a real KubectlHelmAdapter whose kubectl/helm are the recording stand-ins. */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { onTestFinished } from 'vitest';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { KubectlHelmAdapter, type KubectlHelmAdapterOptions } from '../../source/kube/kubectl-helm-adapter.js';

export const STAND_INS = resolve(import.meta.dirname, '../fixtures/stand-ins');

export interface Rule {
  tool?: 'kubectl' | 'helm';
  args?: string[];
  stdout?: unknown;
  stderr?: string;
  exitCode?: number;
  times?: number;
}

export interface RecordedCall {
  tool: 'kubectl' | 'helm';
  argv: string[];
  stdin: string;
  files: { flag: string; path: string; copy: string; mode: string }[];
}

/** The CSI driver's objects as the adapter asks for them by name (the gather's first read). */
export const CSI_NAMED_OBJECTS = [
  'csidriver/secrets-store.csi.k8s.io',
  'customresourcedefinition/secretproviderclasses.secrets-store.csi.x-k8s.io',
  'clusterrole/secretprovidersyncing-role',
  'clusterrole/aks-secretprovidersyncing-role',
];

export const helmVersionRule = (version: string): Rule => ({ tool: 'helm', args: ['version'], stdout: version });

export async function standInAdapter(rules: Rule[], options: Partial<KubectlHelmAdapterOptions> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'kube-standin-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const recordDir = join(root, 'record');
  const tempDir = join(root, 'tmp');
  mkdirSync(recordDir);
  mkdirSync(tempDir);
  const scenario = join(root, 'scenario.json');
  writeFileSync(scenario, JSON.stringify({ rules }));
  // Each adapter gets its own copy of the stand-ins: the tool keeps a binary's version answer per
  // file, as a real binary's is fixed, while a stand-in's answer is this scenario's.
  const bin = join(root, 'bin');
  cpSync(STAND_INS, bin, { recursive: true });
  const adapter = await KubectlHelmAdapter.create({
    context: 'feathr-eks',
    env: {
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      STANDIN_RECORD_DIR: recordDir,
      STANDIN_SCENARIO: scenario,
    },
    tempDir,
    probe: { timeoutMs: 2_000, pollIntervalMs: 10 },
    ...options,
  });
  const calls = (): RecordedCall[] =>
    readdirSync(recordDir)
      .filter((name) => name.startsWith('call-'))
      .sort()
      .map((name) => JSON.parse(readFileSync(join(recordDir, name), 'utf8')) as RecordedCall);
  const tempLeft = (): string[] => readdirSync(tempDir);
  return { adapter, calls, tempLeft, root };
}

/** Every argv of every call, joined, for canary searches. */
export function allArgv(calls: RecordedCall[]): string {
  return calls.map((call) => call.argv.join(' ')).join('\n');
}
