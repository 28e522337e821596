/**
 * Picks one secret source: a Kubernetes Secret found in the cluster (the legacy one first),
 * a .env file, or named environment variables. Used for the first source and for every
 * source added from the mapping table. Names only: no value is read here.
 */
import { useEffect, useState } from 'react';
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import { TextQuestion } from '../text-question.js';
import { useLoad } from '../use-load.js';
import { LoadGate } from './loading.js';
import type { SecretSourceInput, WizardPort } from '../../discovery/port.js';
import { BackScope } from '../back-scope.js';

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
  /** The source answered before (esc from the next screen): its step is shown again. */
  earlier?: SecretSourceInput;
  onPick: (source: SecretSourceInput) => void;
}

export function SourcePicker({ port, context, title, chosen = [], earlier, onPick }: SourcePickerProps) {
  const loaded = useLoad(() => port.secretCandidates(context), [port, context]);
  const earlierKind =
    earlier === undefined
      ? undefined
      : 'envFile' in earlier
        ? ('file' as const)
        : 'env' in earlier
          ? ('env' as const)
          : undefined;
  const [kind, setKind] = useState<'file' | 'env' | undefined>(earlierKind);
  // The option chosen last (in this visit, or as the earlier answer) is where the cursor starts.
  const [last, setLast] = useState<string | undefined>(
    earlierKind === 'file'
      ? ENV_FILE
      : earlierKind === 'env'
        ? ENV_VARS
        : earlier && 'kubernetesSecret' in earlier
          ? `${earlier.kubernetesSecret.namespace}/${earlier.kubernetesSecret.name}`
          : undefined,
  );
  const taken = new Set(chosen.map(sourceLabel));
  if (kind === 'file') {
    return (
      <BackScope onBack={() => setKind(undefined)}>
        <EnvFileQuestion
          port={port}
          taken={taken}
          onPick={onPick}
          earlier={earlier && 'envFile' in earlier ? earlier.envFile : undefined}
        />
      </BackScope>
    );
  }
  if (kind === 'env') {
    return (
      <BackScope onBack={() => setKind(undefined)}>
        <TextQuestion
          key="env"
          title="Names of the environment variables that hold the secrets"
          defaultValue={earlier && 'env' in earlier ? earlier.env.join(', ') : ''}
          notes={['Their values are read when the run starts; only the names are saved.']}
          validate={(t) => (t.split(/[\s,]+/).filter(Boolean).length > 0 ? undefined : 'Give at least one name.')}
          onSubmit={(t) => onPick({ env: t.split(/[\s,]+/).filter(Boolean) })}
        />
      </BackScope>
    );
  }
  return (
    <LoadGate loaded={loaded} what={`Secrets in ${context}`}>
      {(candidates) => (
        <Question title={title} notes={['Values are copied to the vault and never shown.']}>
          <Picker
            defaultValue={last}
            options={[
              ...candidates
                .filter((c) => !taken.has(`Kubernetes Secret ${c.namespace}/${c.name}`))
                .map((c) => ({
                  label: `Kubernetes Secret ${c.namespace}/${c.name}`,
                  value: `${c.namespace}/${c.name}`,
                  hint: `${c.keys.length} keys`,
                })),
              { label: 'A .env file', value: ENV_FILE },
              { label: 'Environment variables', value: ENV_VARS },
            ]}
            onSubmit={(choice) => {
              setLast(choice);
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

const DEFAULT_ENV_FILE = './feathr.env';

/**
 * The .env path: ./feathr.env is a placeholder (Enter takes it, typing replaces it, nothing to
 * erase first), and the file is read as you type, so a missing or unreadable one shows before
 * Enter (only names are read; the port never returns a value).
 */
function EnvFileQuestion({
  port,
  taken,
  onPick,
  earlier,
}: {
  port: WizardPort;
  taken: ReadonlySet<string>;
  onPick: (source: SecretSourceInput) => void;
  earlier?: string;
}) {
  // A path typed before (esc from the next screen) is kept; the placeholder stays a placeholder.
  const initial = earlier === DEFAULT_ENV_FILE ? '' : (earlier ?? '');
  const [typed, setTyped] = useState(initial);
  // The problem belongs to the path it was found for; a check still running blocks nothing.
  const [checked, setChecked] = useState<{ path: string; problem?: string }>();
  const path = typed.trim() || DEFAULT_ENV_FILE;
  const fileProblem = checked?.path === path ? checked.problem : undefined;
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      port.envFileNames(path).then(
        () => current && setChecked({ path }),
        (error: unknown) =>
          current && setChecked({ path, problem: error instanceof Error ? error.message : String(error) }),
      );
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [port, path]);
  return (
    <TextQuestion
      key="file"
      title="Path of the .env file"
      notes={[`Enter takes ${DEFAULT_ENV_FILE}; type another path to replace it.`]}
      placeholder={DEFAULT_ENV_FILE}
      placeholderIsDefault
      defaultValue={initial}
      onChange={setTyped}
      liveProblem={fileProblem}
      validate={(p) =>
        taken.has(`.env ${p.trim()}`)
          ? 'That file is a source already.'
          : checked?.path === (p.trim() || DEFAULT_ENV_FILE)
            ? checked.problem
            : undefined
      }
      onSubmit={(envFile) => onPick({ envFile: envFile.trim() })}
    />
  );
}
