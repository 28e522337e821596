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
import { MARK } from '../output/marks.js';
import { Hanging } from './hanging.js';

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
  /** Where this session ran, so the next steps are commands that work as printed. */
  where?: SessionWhere;
}

/**
 * Where the session ran: Azure and the user's kube contexts; a sandbox already serving (its
 * flags go on every command); or the in-process sandbox, which is gone when this process ends,
 * so `check` can't see what this run made and kubectl has no cluster to talk to.
 */
export type SessionWhere =
  { kind: 'azure' } | { kind: 'sandbox-url'; url: string; caFile: string } | { kind: 'sandbox' };

export function nextSteps(
  namespace: string,
  presetPath: string | undefined,
  where: SessionWhere = { kind: 'azure' },
): string[] {
  const flags =
    where.kind === 'sandbox-url'
      ? ` --sandbox-url ${where.url} --sandbox-ca ${where.caFile}`
      : where.kind === 'sandbox'
        ? ' --sandbox'
        : '';
  const preset = presetPath ?? 'FILE';
  const saveFirst = presetPath ? '' : '   (save the answers below as FILE first)';
  const steps: string[] = [];
  // kubectl reaches a real cluster only; the sandbox's clusters are read through its own API.
  if (where.kind === 'azure') steps.push(`kubectl -n ${namespace} get pods`);
  if (where.kind === 'sandbox') {
    steps.push(`feathr-kv-setup --preset ${preset} --yes --sandbox   (the same setup in a fresh sandbox)${saveFirst}`);
    steps.push(
      'feathr-kv-setup sandbox serve   (a sandbox that outlives one run: pass its --sandbox-url and --sandbox-ca to check and uninstall)',
    );
    return steps;
  }
  steps.push(`feathr-kv-setup check --preset ${preset}${flags}${saveFirst}`);
  steps.push(`feathr-kv-setup --preset ${preset} --yes${flags}   (repeat this setup)${saveFirst}`);
  return steps;
}

export function ResultView(props: ResultViewProps) {
  const {
    view,
    namespace,
    savedTo,
    onSavePreset,
    onUninstall,
    onExit,
    defaultPresetPath = 'feathr-kv-preset.yaml',
    typedNames = [],
    where,
  } = props;
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
      <Text bold>
        {uninstalling
          ? ok
            ? `${MARK.pass} Uninstall complete`
            : `${MARK.fail} Uninstall did not complete`
          : ok
            ? `${MARK.pass} Setup complete`
            : `${MARK.fail} Setup did not complete`}
      </Text>
      {uninstalling && view.result?.summary ? <Hanging lead="  " text={view.result.summary} /> : null}
      {view.result?.error ? <Hanging lead="  " text={view.result.error.message} /> : null}
      {view.result?.error?.hint ? <Hanging lead="  fix: " text={view.result.error.hint} /> : null}
      {failed.map((s) => (
        <Hanging key={s.id} lead={`  ${MARK.fail} `} text={`${s.title}: ${s.error ?? ''}`} />
      ))}
      <Text> </Text>
      <Text bold>{uninstalling ? 'What was removed' : 'What exists now'}</Text>
      {exists.length > 0 ? (
        exists.map((line, i) => <Hanging key={i} lead={`  ${MARK.pass} `} text={line} />)
      ) : (
        <Text> Nothing was verified.</Text>
      )}
      <Text> </Text>
      {uninstalling ? null : (
        <Box flexDirection="column">
          <Text bold>Checks</Text>
          <CheckTable checks={view.checks} />
          <Text> </Text>
          <Text bold>Next</Text>
          {(ok ? nextSteps(namespace, saved, where) : [rerunLine(saved, where)]).map((line, i) => (
            <Hanging key={i} lead="  $ " text={line} />
          ))}
          <Text> </Text>
        </Box>
      )}
      {mode === 'offer' ? (
        <Box flexDirection="column">
          <Text bold>? Save these answers as a preset? (no secret values are saved)</Text>
          {typedNames.length > 0 ? <Hanging lead="  " text={typedNote(typedNames) ?? ''} /> : null}
          <Box marginLeft={2}>
            <Picker
              options={[
                { label: 'No, exit', value: 'exit' },
                { label: 'Yes, save them as a preset file', value: 'save' },
                ...(onUninstall && ok
                  ? [
                      {
                        label: 'Uninstall what was just installed (the vault and its secrets stay)',
                        value: 'uninstall',
                      },
                    ]
                  : []),
              ]}
              onSubmit={(choice) =>
                choice === 'save' ? setMode('path') : choice === 'uninstall' ? onUninstall?.() : onExit()
              }
            />
          </Box>
        </Box>
      ) : null}
      {mode === 'path' ? (
        <TextQuestion
          title="Preset file"
          defaultValue={defaultPresetPath}
          validate={(p) => (p.trim() ? undefined : 'Give a file name.')}
          externalProblem={problem}
          onSubmit={save}
        />
      ) : null}
      {mode === 'done' && saved && !uninstalling ? (
        <Text>{`Preset saved to ${saved}. It holds where secrets come from, never their values.`}</Text>
      ) : null}
    </Box>
  );
}

function rerunLine(saved: string | undefined, where: SessionWhere = { kind: 'azure' }): string {
  const flags =
    where.kind === 'sandbox-url'
      ? ` --sandbox-url ${where.url} --sandbox-ca ${where.caFile}`
      : where.kind === 'sandbox'
        ? ' --sandbox'
        : '';
  // The in-process sandbox starts fresh each time: a re-run there starts over, not resumes.
  if (where.kind === 'sandbox')
    return `feathr-kv-setup${saved ? ` --preset ${saved} --yes` : ''} --sandbox   (a fresh sandbox: the run starts over)`;
  return saved
    ? `feathr-kv-setup --preset ${saved} --yes${flags}   (run again: finished steps are kept, the rest resumes)`
    : `feathr-kv-setup${flags}   (run again: finished steps are kept, the rest resumes)`;
}
