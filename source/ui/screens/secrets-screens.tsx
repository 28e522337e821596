/**
 * Secrets: where they come from, and the mapping table (env name → vault name, new / changed
 * / unchanged). Collisions (names equal ignoring case after `_` → `-`) are resolved here by
 * renaming one; the rename is kept in the answers, so the preset carries it. No value is read
 * into this screen: it sees names and states only.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import { mapSecretNames, vaultNameProblem } from '../../secrets/translate.js';
import { missingFeathrVariables } from '../../secrets/sources/feathr-variables.js';
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import { TextQuestion } from '../text-question.js';
import { useLoad } from '../use-load.js';
import { LoadGate } from './loading.js';
import type { ScreenProps } from './screen-props.js';
import type { SecretSourceInput, VaultNameState, WizardPort } from '../wizard-port.js';

const ENV_FILE = '\u0000env-file';
const ENV_VARS = '\u0000env-vars';

export function SecretSourcesScreen({ answers, port, onDone }: ScreenProps) {
  const context = answers.kubeContext ?? '';
  const loaded = useLoad(() => port.secretCandidates(context), [port, context]);
  const [kind, setKind] = useState<'file' | 'env'>();
  if (kind === 'file') {
    return <TextQuestion key="file" title="Path of the .env file" defaultValue="./feathr.env" validate={(p) => (p.trim() ? undefined : 'Give a path.')} onSubmit={(envFile) => onDone({ secrets: { sources: [{ envFile }], rename: {} } })} />;
  }
  if (kind === 'env') {
    return (
      <TextQuestion
        key="env"
        title="Names of the environment variables that hold the secrets"
        notes={['Their values are read when the run starts; only the names are saved.']}
        validate={(t) => (t.split(/[\s,]+/).filter(Boolean).length > 0 ? undefined : 'Give at least one name.')}
        onSubmit={(t) => onDone({ secrets: { sources: [{ env: t.split(/[\s,]+/).filter(Boolean) }], rename: {} } })}
      />
    );
  }
  return (
    <LoadGate loaded={loaded} what={`Secrets in ${context}`}>
      {(candidates) => (
        <Question title="Where are Feathr's secrets now?" notes={['Values are copied to the vault and never shown.']}>
          <Picker
            options={[
              ...candidates.map((c) => ({ label: `Kubernetes Secret ${c.namespace}/${c.name}`, value: `${c.namespace}/${c.name}`, hint: `${c.keys.length} keys` })),
              { label: 'A .env file', value: ENV_FILE },
              { label: 'Environment variables', value: ENV_VARS },
            ]}
            onSubmit={(choice) => {
              if (choice === ENV_FILE) return setKind('file');
              if (choice === ENV_VARS) return setKind('env');
              const [namespace, name] = choice.split('/') as [string, string];
              onDone({ secrets: { sources: [{ kubernetesSecret: { namespace, name } }], rename: answers.secrets?.rename ?? {} } });
            }}
          />
        </Question>
      )}
    </LoadGate>
  );
}

export async function sourceNames(port: WizardPort, context: string, source: SecretSourceInput): Promise<{ env: string; source: string }[]> {
  if ('envFile' in source) return (await port.envFileNames(source.envFile)).map((env) => ({ env, source: `.env ${source.envFile}` }));
  if ('env' in source) return source.env.map((env) => ({ env, source: 'environment' }));
  const { namespace, name } = source.kubernetesSecret;
  const found = (await port.secretCandidates(context)).find((c) => c.namespace === namespace && c.name === name);
  return (found?.keys ?? []).map((env) => ({ env, source: `Kubernetes Secret ${namespace}/${name}` }));
}

export function MappingScreen({ answers, port, onDone }: ScreenProps) {
  const context = answers.kubeContext ?? '';
  const sources = answers.secrets?.sources ?? [];
  const [rename, setRename] = useState<Record<string, string>>(answers.secrets?.rename ?? {});
  const [renaming, setRenaming] = useState<string>();
  const names = useLoad(async () => (await Promise.all(sources.map((s) => sourceNames(port, context, s)))).flat(), [port, context, sources]);
  const mapping = names.state === 'ready' ? mapSecretNames(names.data, { rename }) : undefined;
  const states = useLoad(
    async () =>
      mapping && mapping.ok
        ? port.secretStates({
            context,
            vault: { name: answers.vault?.name ?? '', resourceGroup: answers.resourceGroup ?? '', create: answers.vault?.create !== false && !answers.vault?.recover },
            sources,
            mapping: mapping.mapping.map(({ env, vaultName }) => ({ env, vaultName })),
          })
        : ({} as Record<string, VaultNameState>),
    [port, mapping?.ok, JSON.stringify(mapping?.mapping)],
  );
  if (renaming) {
    return (
      <TextQuestion
        key={`rename-${renaming}`}
        title={`New vault name for ${renaming}`}
        notes={['Only the vault name changes; the pod still sees ' + renaming + '.']}
        defaultValue={`${renaming.replace(/[^0-9A-Za-z]+/g, '-').replace(/^-+|-+$/g, '')}-2`}
        validate={(n) => {
          const problem = vaultNameProblem(n);
          return problem ? `The name ${problem}.` : undefined;
        }}
        onSubmit={(n) => {
          setRename({ ...rename, [renaming]: n });
          setRenaming(undefined);
        }}
      />
    );
  }
  return (
    <LoadGate loaded={names} what="secret names">
      {(found) => {
        const result = mapping!;
        const blocking = result.problems[0];
        if (blocking) {
          const involved = blocking.kind === 'collision' ? blocking.entries.map((e) => e.env) : blocking.kind === 'duplicate' ? [] : [blocking.env];
          return (
            <Question title="A secret name needs a decision" notes={[blocking.message, `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} left.`]}>
              <Picker
                options={involved.map((env) => ({ label: `Rename ${env} in the vault`, value: env }))}
                onSubmit={setRenaming}
              />
            </Question>
          );
        }
        const missing = missingFeathrVariables(found.map((f) => f.env));
        const stateOf = (vaultName: string) => (states.state === 'ready' ? (states.data[vaultName] ?? 'new') : '…');
        const width = Math.min(30, Math.max(...result.mapping.map((m) => m.env.length)));
        return (
          <Question title={`Secrets to migrate: ${result.mapping.length}`} notes={['env name in the pod → name in the vault, and what the run does with it']}>
            <Box flexDirection="column">
              {result.mapping.map((m) => (
                <Text key={m.env}>{`${m.env.padEnd(width)} → ${m.vaultName.padEnd(width)} ${stateOf(m.vaultName)}${m.renamed ? ' (renamed)' : ''}`}</Text>
              ))}
              {missing.length > 0 ? <Text>{`! Feathr also reads ${missing.join(', ')}; no source has ${missing.length === 1 ? 'it' : 'them'}.`}</Text> : null}
              {result.warnings.map((w, i) => (
                <Text key={i}>{`! ${w}`}</Text>
              ))}
            </Box>
            <Picker options={[{ label: 'Continue to the plan', value: 'go' }]} onSubmit={() => onDone({ secrets: { sources, rename } })} />
          </Question>
        );
      }}
    </LoadGate>
  );
}
