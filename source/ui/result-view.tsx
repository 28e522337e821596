/**
 * The end of a guided run: what exists now (each step's verified read-back), the check
 * table, what to do next, and the offer to save the answers as a preset (never values:
 * a preset only says where each secret is read from).
 */
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { CheckTable } from './check-table.js';
import { Picker } from './picker.js';
import { TextQuestion } from './text-question.js';
import { typedNote } from './typed-secrets.js';
import type { RunView } from './view-state.js';

export interface ResultViewProps {
  /** After an uninstall there is nothing to save: the screen ends the session. */
  mode?: 'setup' | 'uninstall';
  view: RunView;
  namespace: string;
  /** Set when --save-preset already saved the answers. */
  savedTo?: string;
  /** Writes the preset; resolves to the path written or rejects with a UserError. */
  onSavePreset: (path: string) => Promise<string>;
  /** Offered next to saving: remove what was just installed. */
  onUninstall?: () => void;
  onExit: () => void;
  defaultPresetPath?: string;
  /** Names typed into masked prompts: a preset lists them as env variables to export. */
  typedNames?: readonly string[];
}

function nextSteps(namespace: string, presetPath?: string): string[] {
  const steps = [`kubectl -n ${namespace} get pods`, 'feathr-kv-setup check'];
  if (presetPath) steps.push(`feathr-kv-setup --preset ${presetPath} --yes   (repeat this setup)`);
  return steps;
}

export function ResultView(props: ResultViewProps) {
  const { view, namespace, savedTo, onSavePreset, onUninstall, onExit, defaultPresetPath = 'feathr-kv-preset.yaml', typedNames = [] } = props;
  const uninstalling = props.mode === 'uninstall';
  const [mode, setMode] = useState<'offer' | 'path' | 'done'>(savedTo || uninstalling ? 'done' : 'offer');
  const [saved, setSaved] = useState(savedTo);
  const [problem, setProblem] = useState<string>();
  // Saved already (--save-preset), or an uninstall: nothing is left to ask, so the session ends on this screen.
  const [justSaved, setJustSaved] = useState(savedTo !== undefined || uninstalling);
  // Exit only after the "Preset saved" line has rendered, so it is the last thing on screen.
  useEffect(() => {
    if (justSaved) onExit();
  }, [justSaved]);
  const ok = view.result?.ok === true;
  const exists = view.steps.filter((s) => s.status === 'done' && s.summary).map((s) => s.summary!);
  const failed = view.steps.filter((s) => s.status === 'failed');
  const save = (path: string) => {
    onSavePreset(path).then(
      (written) => {
        setSaved(written);
        setMode('done');
        setJustSaved(true);
      },
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <Box flexDirection="column">
      <Text bold>{uninstalling ? (ok ? '✔ Uninstall complete' : '✖ Uninstall did not complete') : ok ? '✔ Setup complete' : '✖ Setup did not complete'}</Text>
      {uninstalling && view.result?.summary ? <Text>{`  ${view.result.summary}`}</Text> : null}
      {view.result?.error ? <Text>{`  ${view.result.error.message}`}</Text> : null}
      {view.result?.error?.hint ? <Text>{`  fix: ${view.result.error.hint}`}</Text> : null}
      {failed.map((s) => (
        <Text key={s.id}>{`  ✖ ${s.title}: ${s.error ?? ''}`}</Text>
      ))}
      <Text> </Text>
      <Text bold>{uninstalling ? 'What was removed' : 'What exists now'}</Text>
      {exists.length > 0 ? exists.map((line, i) => <Text key={i}>{`  ✔ ${line}`}</Text>) : <Text>  Nothing was verified.</Text>}
      <Text> </Text>
      {uninstalling ? null : (
        <Box flexDirection="column">
          <Text bold>Checks</Text>
          <CheckTable checks={view.checks} />
          <Text> </Text>
          <Text bold>Next</Text>
          {(ok ? nextSteps(namespace, saved) : ['feathr-kv-setup   (run again: finished steps are kept, the rest resumes)']).map((line, i) => (
            <Text key={i}>{`  $ ${line}`}</Text>
          ))}
          <Text> </Text>
        </Box>
      )}
      {mode === 'offer' ? (
        <Box flexDirection="column">
          <Text bold>? Save these answers as a preset? (no secret values are saved)</Text>
          {typedNames.length > 0 ? <Text>{`  ${typedNote(typedNames)}`}</Text> : null}
          <Box marginLeft={2}>
            <Picker
              options={[
                { label: 'No, exit', value: 'exit' },
                { label: 'Yes, save them as a preset file', value: 'save' },
                ...(onUninstall && ok ? [{ label: 'Uninstall what was just installed (the vault and its secrets stay)', value: 'uninstall' }] : []),
              ]}
              onSubmit={(choice) => (choice === 'save' ? setMode('path') : choice === 'uninstall' ? onUninstall?.() : onExit())}
            />
          </Box>
        </Box>
      ) : null}
      {mode === 'path' ? (
        <TextQuestion title="Preset file" defaultValue={defaultPresetPath} validate={(p) => (p.trim() ? undefined : 'Give a file name.')} externalProblem={problem} onSubmit={save} />
      ) : null}
      {mode === 'done' && saved && !uninstalling ? <Text>{`Preset saved to ${saved}. It holds where secrets come from, never their values.`}</Text> : null}
    </Box>
  );
}
