/**
 * Picks one secret source: a Kubernetes Secret found in the cluster (the legacy one first),
 * a .env file, or named environment variables. Used for the first source and for every
 * source added from the mapping table. Names only: no value is read here.
 */
import { useState } from 'react';
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import { TextQuestion } from '../text-question.js';
import { useLoad } from '../use-load.js';
import { LoadGate } from './loading.js';
import type { SecretSourceInput, WizardPort } from '../../discovery/port.js';

const ENV_FILE = '\u0000env-file';
const ENV_VARS = '\u0000env-vars';

export function sourceLabel(source: SecretSourceInput): string {
  if ('envFile' in source) return `.env ${source.envFile}`;
  if ('env' in source) return `environment ${source.env.join(', ')}`;
  return `Kubernetes Secret ${source.kubernetesSecret.namespace}/${source.kubernetesSecret.name}`;
}

/** The label collect.ts gives the names of a source, as conflicts and the mapping name it. */
export function namesLabel(source: SecretSourceInput): string {
  return 'env' in source ? 'environment' : sourceLabel(source);
}

export interface SourcePickerProps {
  port: WizardPort;
  context: string;
  title: string;
  /** Sources already chosen: not offered again. */
  chosen?: readonly SecretSourceInput[];
  onPick: (source: SecretSourceInput) => void;
}

export function SourcePicker({ port, context, title, chosen = [], onPick }: SourcePickerProps) {
  const loaded = useLoad(() => port.secretCandidates(context), [port, context]);
  const [kind, setKind] = useState<'file' | 'env'>();
  const taken = new Set(chosen.map(sourceLabel));
  if (kind === 'file') {
    return <TextQuestion key="file" title="Path of the .env file" defaultValue="./feathr.env" validate={(p) => (!p.trim() ? 'Give a path.' : taken.has(`.env ${p}`) ? 'That file is a source already.' : undefined)} onSubmit={(envFile) => onPick({ envFile })} />;
  }
  if (kind === 'env') {
    return (
      <TextQuestion
        key="env"
        title="Names of the environment variables that hold the secrets"
        notes={['Their values are read when the run starts; only the names are saved.']}
        validate={(t) => (t.split(/[\s,]+/).filter(Boolean).length > 0 ? undefined : 'Give at least one name.')}
        onSubmit={(t) => onPick({ env: t.split(/[\s,]+/).filter(Boolean) })}
      />
    );
  }
  return (
    <LoadGate loaded={loaded} what={`Secrets in ${context}`}>
      {(candidates) => (
        <Question title={title} notes={['Values are copied to the vault and never shown.']}>
          <Picker
            options={[
              ...candidates
                .filter((c) => !taken.has(`Kubernetes Secret ${c.namespace}/${c.name}`))
                .map((c) => ({ label: `Kubernetes Secret ${c.namespace}/${c.name}`, value: `${c.namespace}/${c.name}`, hint: `${c.keys.length} keys` })),
              { label: 'A .env file', value: ENV_FILE },
              { label: 'Environment variables', value: ENV_VARS },
            ]}
            onSubmit={(choice) => {
              if (choice === ENV_FILE) return setKind('file');
              if (choice === ENV_VARS) return setKind('env');
              const [namespace, name] = choice.split('/') as [string, string];
              onPick({ kubernetesSecret: { namespace, name } });
            }}
          />
        </Question>
      )}
    </LoadGate>
  );
}
