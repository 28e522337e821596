/**
 * Secrets: where they come from (one source or several), values typed for names no source
 * has, and the mapping table (env name → vault name, new / changed / unchanged). Conflicts
 * (a name two sources hold with different values) and collisions (names equal ignoring case
 * after `_` → `-`) are resolved here, before any write; the decision is kept in the answers,
 * so the preset carries it. This screen sees names and states only: typed values go straight
 * from the masked input to the App.
 */
import { useRef, useState, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { defaultVaultName, mapSecretNames, suggestVaultName, vaultNameProblem } from '../../domain/secret-names.js';
import { missingFeathrVariables } from '../../secrets/sources/feathr-variables.js';
import { Picker } from '../picker.js';
import { MARK } from '../../output/marks.js';
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
import { BackScope } from '../back-scope.js';

export function SecretSourcesScreen({ answers, port, onDone }: ScreenProps) {
  return (
    <SourcePicker
      port={port}
      context={answers.kubeContext ?? ''}
      title="Where are Feathr's secrets now?"
      {...(answers.secrets?.sources[0] ? { earlier: answers.secrets.sources[0] } : {})}
      onPick={(source) => onDone({ secrets: { sources: [source], rename: answers.secrets?.rename ?? {} } })}
    />
  );
}

async function sourceNames(
  port: WizardPort,
  context: string,
  source: SecretSourceInput,
): Promise<{ env: string; source: string }[]> {
  const label = namesLabel(source);
  if ('envFile' in source) return (await port.envFileNames(source.envFile)).map((env) => ({ env, source: label }));
  if ('env' in source) return source.env.map((env) => ({ env, source: label }));
  const { namespace, name } = source.kubernetesSecret;
  const found = (await port.secretCandidates(context)).find((c) => c.namespace === namespace && c.name === name);
  return (found?.keys ?? []).map((env) => ({ env, source: label }));
}

type Mode =
  | { kind: 'table' }
  | { kind: 'rename'; env: string; initial?: string }
  | { kind: 'type'; names: string[] }
  | { kind: 'add-source' };

/** A step taken on this screen: esc from the table goes back to it, undoing what it did. */
interface TrailStep {
  mode: Mode;
  undo: () => void;
}

export function MappingScreen({ answers, port, typed, onTyped, onDone }: ScreenProps) {
  const context = answers.kubeContext ?? '';
  const [sources, setSources] = useState<SecretSourceInput[]>(answers.secrets?.sources ?? []);
  const [rename, setRename] = useState<Record<string, string>>(answers.secrets?.rename ?? {});
  const [precedence, setPrecedence] = useState(answers.secrets?.precedence);
  const [mode, setMode] = useState<Mode>({ kind: 'table' });
  const [trail, setTrail] = useState<readonly TrailStep[]>([]);
  const typedHere = useRef<string[]>([]);
  const found = useLoad(async () => {
    const [names, conflicts] = await Promise.all([
      Promise.all(sources.map((s) => sourceNames(port, context, s))),
      port.secretConflicts({ context, sources }),
    ]);
    return { names: names.flat(), conflicts };
  }, [port, context, sources]);
  const names = found.state === 'ready' ? mappingNames(found.data.names, found.data.conflicts, typed) : undefined;
  const mapping = names ? mapSecretNames(names, { rename, ...(precedence ? { precedence } : {}) }) : undefined;
  const states = useLoad(
    async () =>
      mapping && mapping.ok
        ? port.secretStates({
            context,
            vault: {
              name: answers.vault?.name ?? '',
              resourceGroup: answers.resourceGroup ?? '',
              create: answers.vault?.create !== false && !answers.vault?.recover,
            },
            sources,
            mapping: mapping.mapping
              .filter((m) => !typed.includes(m.env))
              .map(({ env, vaultName }) => ({ env, vaultName })),
          })
        : ({} as Record<string, VaultNameState>),
    [port, mapping?.ok, JSON.stringify(mapping?.mapping), sources],
  );
  const back = () => setMode({ kind: 'table' });
  const inScope = (screen: ReactNode) => <BackScope onBack={back}>{screen}</BackScope>;
  // Esc from the table (or a decision) goes back to the step before it on this screen, undone.
  const record = (step: TrailStep) => setTrail((t) => [...t, step]);
  const stepBack = () => {
    const last = trail[trail.length - 1];
    if (!last) return;
    setTrail(trail.slice(0, -1));
    last.undo();
    setMode(last.mode);
  };
  const tableScope = (screen: ReactNode) =>
    trail.length > 0 ? <BackScope onBack={stepBack}>{screen}</BackScope> : screen;
  if (mode.kind === 'rename') {
    const env = mode.env;
    // The vault names every other secret gets, so the prefilled name (and any typed one) clashes with none.
    const others = (names ?? []).filter((n) => n.env !== env).map((n) => rename[n.env] ?? defaultVaultName(n.env));
    const clash = (n: string) => others.find((o) => o.toLowerCase() === n.toLowerCase());
    return inScope(
      <TextQuestion
        key={`rename-${env}`}
        title={`New vault name for ${env}`}
        notes={['Only the vault name changes; the pod still sees ' + env + '.']}
        defaultValue={mode.initial ?? suggestVaultName(env, others) ?? ''}
        validate={(n) => {
          const problem = vaultNameProblem(n);
          if (problem) return `The name ${problem}.`;
          const taken = clash(n);
          return taken
            ? `${taken} is already in the vault's list (names are compared ignoring case); pick another.`
            : undefined;
        }}
        onSubmit={(n) => {
          const before = rename;
          setRename({ ...rename, [env]: n });
          record({ mode: { kind: 'rename', env, initial: n }, undo: () => setRename(before) });
          back();
        }}
      />,
    );
  }
  if (mode.kind === 'add-source') {
    return inScope(
      <SourcePicker
        port={port}
        context={context}
        title="Another source of secrets (later sources come after earlier ones)"
        chosen={sources}
        onPick={(s) => {
          const before = sources;
          setSources([...sources, s]);
          record({ mode: { kind: 'add-source' }, undo: () => setSources(before) });
          back();
        }}
      />,
    );
  }
  if (mode.kind === 'type') {
    const taken = new Map((found.state === 'ready' ? found.data.names : []).map((n) => [n.env, n.source] as const));
    const names = mode.names;
    return inScope(
      <TypedValuePrompt
        names={names}
        taken={taken}
        onValue={(env, value) => {
          typedHere.current.push(env);
          onTyped(env, value);
        }}
        onDone={() => {
          const entered = typedHere.current;
          typedHere.current = [];
          if (entered.length > 0)
            record({ mode: { kind: 'type', names }, undo: () => entered.forEach((env) => onTyped(env, undefined)) });
          back();
        }}
      />,
    );
  }
  return (
    <LoadGate loaded={found} what="secret names">
      {() => {
        const result = mapping!;
        const blocking = result.problems[0];
        if (blocking) {
          return tableScope(
            <NameDecision
              problem={blocking}
              left={result.problems.length}
              canDrop={sources.length > 1}
              onRename={(env) => setMode({ kind: 'rename', env })}
              onLaterWins={() => {
                const before = precedence;
                setPrecedence('later-wins');
                record({ mode: { kind: 'table' }, undo: () => setPrecedence(before) });
              }}
              onDrop={(label, env) => {
                if (label === TYPED_SOURCE) return onTyped(env, undefined);
                const before = sources;
                setSources(sources.filter((s) => namesLabel(s) !== label));
                record({ mode: { kind: 'table' }, undo: () => setSources(before) });
              }}
              onReload={() => setSources([...sources])}
            />,
          );
        }
        const missing = missingFeathrVariables(result.mapping.map((m) => m.env));
        const stateOf = (env: string, vaultName: string) =>
          typed.includes(env) ? 'typed' : states.state === 'ready' ? (states.data[vaultName] ?? 'new') : '…';
        const width = Math.min(30, Math.max(...result.mapping.map((m) => m.env.length)));
        const conflicts = found.state === 'ready' ? found.data.conflicts : [];
        return tableScope(
          <Question
            title={`Secrets to migrate: ${result.mapping.length}`}
            notes={[
              `from ${[...sources.map(sourceLabel), ...(typed.length > 0 ? ['values typed here'] : [])].join(' + ')}`,
              'env name in the pod → name in the vault, and what the run does with it',
            ]}
          >
            <Box flexDirection="column">
              {result.mapping.map((m) => (
                <Text
                  key={m.env}
                >{`${m.env.padEnd(width)} → ${m.vaultName.padEnd(width)} ${stateOf(m.env, m.vaultName)}${m.renamed ? ' (renamed)' : ''}`}</Text>
              ))}
              {missing.length > 0 ? (
                <Text>{`${MARK.warn} Feathr also reads ${missing.join(', ')}; no source has ${missing.length === 1 ? 'it' : 'them'}.`}</Text>
              ) : null}
              {result.warnings.map((w, i) => (
                <Text key={i}>{`${MARK.warn} ${w}`}</Text>
              ))}
              {precedence === 'later-wins' && conflicts.length > 0 ? (
                <Text>{`${MARK.warn} ${conflicts.length === 1 ? '1 name differs' : `${conflicts.length} names differ`} between sources; the later source wins.`}</Text>
              ) : null}
            </Box>
            <Picker
              options={[
                { label: 'Continue to the plan', value: 'go' },
                ...(missing.length > 0
                  ? [
                      {
                        label: `Type the missing value${missing.length === 1 ? '' : 's'} (${missing.join(', ')})`,
                        value: 'type-missing',
                      },
                    ]
                  : []),
                { label: 'Type a value for another name', value: 'type-other' },
                { label: 'Add another secret source', value: 'add-source' },
                ...(typed.length > 0
                  ? [
                      {
                        label: `Forget the typed value${typed.length === 1 ? '' : 's'} (${typed.join(', ')})`,
                        value: 'forget',
                      },
                    ]
                  : []),
              ]}
              onSubmit={(choice) => {
                if (choice === 'type-missing') return setMode({ kind: 'type', names: missing });
                if (choice === 'type-other') return setMode({ kind: 'type', names: [] });
                if (choice === 'add-source') return setMode({ kind: 'add-source' });
                if (choice === 'forget') return typed.forEach((env) => onTyped(env, undefined));
                onDone({ secrets: { sources, rename, ...(precedence ? { precedence } : {}) } });
              }}
            />
          </Question>,
        );
      }}
    </LoadGate>
  );
}
