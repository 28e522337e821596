import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../source/kernel/errors.js';
import { collectSecrets } from '../../source/secrets/collect.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kv-collect-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A Kubernetes port stand-in holding Secrets in memory (only what collect uses). */
function kubeWith(secrets: Record<string, Record<string, string>>) {
  const reads: string[] = [];
  return {
    reads,
    port: {
      context: 'test-ctx',
      async readSecret(namespace: string, name: string) {
        reads.push(`${namespace}/${name}`);
        return secrets[`${namespace}/${name}`] ?? null;
      },
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}
const text = (e: UserError) => [e.message, e.hint ?? '', ...e.details].join('\n');

describe('collectSecrets', () => {
  it('reads .env values byte for byte (unicode, newlines, = signs) and translates names', async () => {
    await writeFile(
      join(dir, 'a.env'),
      'CONN_STR="Server=x;Password=a=b=="\nMULTI="line1\nline2"\nUNI=ключ🙂\nA__B=1\n',
    );
    const { entries } = await collectSecrets({ sources: [{ envFile: 'a.env' }] }, { baseDir: dir });
    expect(entries.map((e) => [e.env, e.vaultName, e.value])).toEqual([
      ['CONN_STR', 'CONN-STR', 'Server=x;Password=a=b=='],
      ['MULTI', 'MULTI', 'line1\nline2'],
      ['UNI', 'UNI', 'ключ🙂'],
      ['A__B', 'A--B', '1'],
    ]);
    expect(entries[0]!.source).toBe('.env a.env');
  });

  it('stops on CONN_STR in the .env and conn_str in the Kubernetes Secret, naming both sources and no value', async () => {
    await writeFile(join(dir, 'a.env'), 'CONN_STR=CANARY-env-0001\n');
    const kube = kubeWith({ 'legacy/feathr-online-secret': { conn_str: 'CANARY-k8s-0002' } });
    const error = await failure(
      collectSecrets(
        {
          sources: [{ envFile: 'a.env' }, { kubernetesSecret: { namespace: 'legacy', name: 'feathr-online-secret' } }],
        },
        { baseDir: dir, kube: kube.port },
      ),
    );
    expect(text(error)).toContain('CONN_STR → CONN-STR (from .env a.env)');
    expect(text(error)).toContain('conn_str → conn-str (from Kubernetes Secret legacy/feathr-online-secret)');
    expect(text(error)).toContain('Nothing was written');
    expect(text(error)).not.toMatch(/CANARY/);
  });

  it('refuses one name with different values in two sources, naming both sources', async () => {
    await writeFile(join(dir, 'a.env'), 'FEATHRCI_PASS=CANARY-a\n');
    const error = await failure(
      collectSecrets(
        { sources: [{ envFile: 'a.env' }, { env: ['FEATHRCI_PASS'] }] },
        { baseDir: dir, env: { FEATHRCI_PASS: 'CANARY-b' } },
      ),
    );
    expect(text(error)).toContain('FEATHRCI_PASS is in more than one source: .env a.env, environment');
    expect(text(error)).not.toMatch(/CANARY/);
  });

  it('accepts the same value twice, and later-wins when the preset says so', async () => {
    await writeFile(join(dir, 'a.env'), 'X=same\nY=first\n');
    const same = await collectSecrets(
      { sources: [{ envFile: 'a.env' }, { env: ['X'] }] },
      { baseDir: dir, env: { X: 'same' } },
    );
    expect(same.entries.find((e) => e.env === 'X')!.source).toBe('.env a.env');
    const later = await collectSecrets(
      { sources: [{ envFile: 'a.env' }, { env: ['Y'] }], precedence: 'later-wins' },
      { baseDir: dir, env: { Y: 'second' } },
    );
    expect(later.entries.find((e) => e.env === 'Y')).toMatchObject({ value: 'second', source: 'environment' });
    expect(later.warnings.join()).toContain('Y is in .env a.env and environment');
  });

  it('reads a Kubernetes Secret through the port and names missing Feathr variables', async () => {
    const kube = kubeWith({ 'legacy/s': { CONN_STR: 'c', FEATHRCI_HOST: 'h' } });
    const result = await collectSecrets(
      { sources: [{ kubernetesSecret: { namespace: 'legacy', name: 's' } }] },
      { kube: kube.port },
    );
    expect(result.entries.map((e) => e.vaultName)).toEqual(['CONN-STR', 'FEATHRCI-HOST']);
    expect(result.missingFeathr).toContain('COSMOS_API_KEY');
    expect(kube.reads).toEqual(['legacy/s']);
  });

  it('names a missing Kubernetes Secret and unset environment variables', async () => {
    const kube = kubeWith({});
    expect(
      (
        await failure(
          collectSecrets(
            { sources: [{ kubernetesSecret: { namespace: 'legacy', name: 'nope' } }] },
            { kube: kube.port },
          ),
        )
      ).message,
    ).toContain("Can't find Secret legacy/nope in kube context test-ctx");
    expect(
      (await failure(collectSecrets({ sources: [{ env: ['NOT_SET_1', 'NOT_SET_2'] }] }, { env: {} }))).message,
    ).toContain("NOT_SET_1, NOT_SET_2 aren't set");
  });

  it('refuses a name dotenv skipped instead of dropping it silently', async () => {
    await writeFile(join(dir, 'a.env'), 'ÜBER=x\nOK=1\n');
    const error = await failure(collectSecrets({ sources: [{ envFile: 'a.env' }] }, { baseDir: dir }));
    expect(text(error)).toContain('ÜBER');
  });

  it('applies explicit renames', async () => {
    const result = await collectSecrets(
      { sources: [{ env: ['REDIS_PASSWORD'] }], rename: { REDIS_PASSWORD: 'redis-pw' } },
      { env: { REDIS_PASSWORD: 'p' } },
    );
    expect(result.entries[0]).toMatchObject({ env: 'REDIS_PASSWORD', vaultName: 'redis-pw' });
  });
});
