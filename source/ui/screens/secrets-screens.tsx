/**
 * Secrets: where they come from (one source or several), values typed for names no source
 * has, and the mapping table (env name → vault name, new / changed / unchanged). Conflicts
 * (a name two sources hold with different values) and collisions (names equal ignoring case
 * after `_` → `-`) are resolved here, before any write; the decision is kept in the answers,
 * so the preset carries it. This screen sees names and states only: typed values go straight
 * from the masked input to the App.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import { mapSecretNames, vaultNameProblem } from '../../domain/secret-names.js';
import { missingFeathrVariables } from '../../secrets/sources/feathr-variables.js';
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import { TextQuestion } from '../text-question.js';
import { useLoad } from '../use-load.js';
import { LoadGate } from './loading.js';
import { mappingNames } from './mapping-names.js';
import { namesLabel, SourcePicker, sourceLabel } from './source-picker.js';
import { TYPED_SOURCE } from '../typed-secrets.js';
import { NameDecision } from './name-decision.js';
import { TypedValuePrompt } from './typed-value-prompt.js';
import type { ScreenProps } from './screen-props.js';
import type { SecretSourceInput, VaultNameState, WizardPort } from '../../discovery/port.js';

export function SecretSourcesScreen({ answers, port, onDone }: ScreenProps) {
  return (
    <SourcePicker
      port={port}
      context={answers.kubeContext ?? ''}
      title="Where are Feathr's secrets now?"
      onPick={(source) => onDone({ secrets: { sources: [source], rename: answers.secrets?.rename ?? {} } })}
    />
  );
}

async function sourceNames(port: WizardPort, context: string, source: SecretSourceInput): Promise<{ env: string; source: string }[]> {
  const label = namesLabel(source);
  if ('envFile' in source) return (await port.envFileNames(source.envFile)).map((env) => ({ env, source: label }));
  if ('env' in source) return source.env.map((env) => ({ env, source: label }));
  const { namespace, name } = source.kubernetesSecret;
  const found = (await port.secretCandidates(context)).find((c) => c.namespace === namespace && c.name === name);
  return (found?.keys ?? []).map((env) => ({ env, source: label }));
}

type Mode = { kind: 'table' } | { kind: 'rename'; env: string } | { kind: 'type'; names: string[] } | { kind: 'add-source' };

export function MappingScreen({ answers, port, typed, onTyped, onDone }: ScreenProps) {
  const context = answers.kubeContext ?? '';
  const [sources, setSources] = useState<SecretSourceInput[]>(answers.secrets?.sources ?? []);
  const [rename, setRename] = useState<Record<string, string>>(answers.secrets?.rename ?? {});
  const [precedence, setPrecedence] = useState(answers.secrets?.precedence);
  const [mode, setMode] = useState<Mode>({ kind: 'table' });
  const found = useLoad(async () => {
    const [names, conflicts] = await Promise.all([Promise.all(sources.map((s) => sourceNames(port, context, s))), port.secretConflicts({ context, sources })]);
    return { names: names.flat(), conflicts };
  }, [port, context, sources]);
  const names = found.state === 'ready' ? mappingNames(found.data.names, found.data.conflicts, typed) : undefined;
  const mapping = names ? mapSecretNames(names, { rename, ...(precedence ? { precedence } : {}) }) : undefined;
  const states = useLoad(
    async () =>
      mapping && mapping.ok
        ? port.secretStates({
            context,
            vault: { name: answers.vault?.name ?? '', resourceGroup: answers.resourceGroup ?? '', create: answers.vault?.create !== false && !answers.vault?.recover },
            sources,
            mapping: mapping.mapping.filter((m) => !typed.includes(m.env)).map(({ env, vaultName }) => ({ env, vaultName })),
          })
        : ({} as Record<string, VaultNameState>),
    [port, mapping?.ok, JSON.stringify(mapping?.mapping), sources],
  );
  const back = () => setMode({ kind: 'table' });
  if (mode.kind === 'rename') {
    const env = mode.env;
    return (
      <TextQuestion
        key={`rename-${env}`}
        title={`New vault name for ${env}`}
        notes={['Only the vault name changes; the pod still sees ' + env + '.']}
        defaultValue={`${env.replace(/[^0-9A-Za-z]+/g, '-').replace(/^-+|-+$/g, '')}-2`}
        validate={(n) => {
          const problem = vaultNameProblem(n);
          return problem ? `The name ${problem}.` : undefined;
        }}
        onSubmit={(n) => {
          setRename({ ...rename, [env]: n });
          back();
        }}
      />
    );
  }
  if (mode.kind === 'add-source') {
    return <SourcePicker port={port} context={context} title="Another source of secrets (later sources come after earlier ones)" chosen={sources} onPick={(s) => (setSources([...sources, s]), back())} />;
  }
  if (mode.kind === 'type') {
    const taken = new Map((found.state === 'ready' ? found.data.names : []).map((n) => [n.env, n.source] as const));
    return <TypedValuePrompt names={mode.names} taken={taken} onValue={(env, value) => onTyped(env, value)} onDone={back} />;
  }
  return (
    <LoadGate loaded={found} what="secret names">
      {() => {
        const result = mapping!;
        const blocking = result.problems[0];
        if (blocking) return <NameDecision problem={blocking} left={result.problems.length} canDrop={sources.length > 1} onRename={(env) => setMode({ kind: 'rename', env })} onLaterWins={() => setPrecedence('later-wins')} onDrop={(label, env) => (label === TYPED_SOURCE ? onTyped(env, undefined) : setSources(sources.filter((s) => namesLabel(s) !== label)))} />;
        const missing = missingFeathrVariables(result.mapping.map((m) => m.env));
        const stateOf = (env: string, vaultName: string) => (typed.includes(env) ? 'typed' : states.state === 'ready' ? (states.data[vaultName] ?? 'new') : '…');
        const width = Math.min(30, Math.max(...result.mapping.map((m) => m.env.length)));
        const conflicts = found.state === 'ready' ? found.data.conflicts : [];
        return (
          <Question title={`Secrets to migrate: ${result.mapping.length}`} notes={[`from ${[...sources.map(sourceLabel), ...(typed.length > 0 ? ['values typed here'] : [])].join(' + ')}`, 'env name in the pod → name in the vault, and what the run does with it']}>
            <Box flexDirection="column">
              {result.mapping.map((m) => (
                <Text key={m.env}>{`${m.env.padEnd(width)} → ${m.vaultName.padEnd(width)} ${stateOf(m.env, m.vaultName)}${m.renamed ? ' (renamed)' : ''}`}</Text>
              ))}
              {missing.length > 0 ? <Text>{`! Feathr also reads ${missing.join(', ')}; no source has ${missing.length === 1 ? 'it' : 'them'}.`}</Text> : null}
              {result.warnings.map((w, i) => (
                <Text key={i}>{`! ${w}`}</Text>
              ))}
              {precedence === 'later-wins' && conflicts.length > 0 ? <Text>{`! ${conflicts.length} name${conflicts.length === 1 ? '' : 's'} differ between sources; the later source wins.`}</Text> : null}
            </Box>
            <Picker
              options={[
                { label: 'Continue to the plan', value: 'go' },
                ...(missing.length > 0 ? [{ label: `Type the missing value${missing.length === 1 ? '' : 's'} (${missing.join(', ')})`, value: 'type-missing' }] : []),
                { label: 'Type a value for another name', value: 'type-other' },
                { label: 'Add another secret source', value: 'add-source' },
                ...(typed.length > 0 ? [{ label: `Forget the typed value${typed.length === 1 ? '' : 's'} (${typed.join(', ')})`, value: 'forget' }] : []),
              ]}
              onSubmit={(choice) => {
                if (choice === 'type-missing') return setMode({ kind: 'type', names: missing });
                if (choice === 'type-other') return setMode({ kind: 'type', names: [] });
                if (choice === 'add-source') return setMode({ kind: 'add-source' });
                if (choice === 'forget') return typed.forEach((env) => onTyped(env, undefined));
                onDone({ secrets: { sources, rename, ...(precedence ? { precedence } : {}) } });
              }}
            />
          </Question>
        );
      }}
    </LoadGate>
  );
}
