/**
 * The first screen. It renders at once (the first frame comes before any Azure SDK loads);
 * what was detected fills in as discovery answers. When an install made by this tool is
 * found, it offers to set up again or to uninstall it (the vault and its secrets stay).
 */
import { Box, Text, useInput } from 'ink';
import { Spinner } from '@inkjs/ui';
import { Picker } from '../picker.js';
import type { Detected, FoundInstall } from '../../discovery/port.js';
import type { Loaded } from '../use-load.js';
import { MARK } from '../../output/marks.js';

function detectedLines(d: Detected): string[] {
  return [
    `Azure account   ${d.account ?? 'not signed in'}${d.tenantId ? `  (tenant ${d.tenantId})` : ''}`,
    `Kube context    ${d.kubeContext ?? 'none'}`,
    `kubectl         ${d.kubectl ?? 'not found'}`,
    `helm            ${d.helm ?? 'not found'}`,
  ];
}

export interface WelcomeScreenProps {
  detected: Loaded<Detected>;
  installs: Loaded<FoundInstall[]>;
  /** Start the questions; prefilled from `found` when setting an earlier install up again. */
  onDone: (found?: FoundInstall) => void;
  onUninstall?: (found: FoundInstall) => void;
}

export function WelcomeScreen({ detected, installs, onDone, onUninstall }: WelcomeScreenProps) {
  // A failed search for earlier installs doesn't block a new setup.
  const found = installs.state === 'ready' ? installs.data : [];
  const searching = installs.state === 'loading';
  const ready = detected.state !== 'loading' && !searching;
  useInput(
    (_input, key) => {
      if (key.return) onDone();
    },
    { isActive: ready && found.length === 0 },
  );
  return (
    <Box flexDirection="column">
      <Text bold>feathr-kv-setup: Feathr on Kubernetes, secrets in Azure Key Vault</Text>
      <Text>It asks a few questions, shows the plan, and changes nothing before you approve.</Text>
      {detected.state === 'ready' && detected.data.sandbox ? (
        <Text>Sandbox: Azure and the clusters are simulated on this machine.</Text>
      ) : null}
      <Text> </Text>
      {detected.state === 'loading' ? <Spinner label="Detecting your Azure account, kube context and tools…" /> : null}
      {detected.state === 'failed' ? <Text>{`${MARK.fail} Detection failed: ${detected.error}`}</Text> : null}
      {detected.state === 'ready' ? (
        <Box flexDirection="column">
          {detectedLines(detected.data).map((line, i) => (
            <Text key={i}>{`  ${line}`}</Text>
          ))}
          {detected.data.problems.map((p, i) => (
            <Text key={`p${i}`}>{`  ! ${p}`}</Text>
          ))}
          <Text> </Text>
        </Box>
      ) : null}
      {detected.state !== 'loading' && searching ? (
        <Spinner label="Looking for an earlier install by feathr-kv-setup…" />
      ) : null}
      {ready && found.length === 0 ? <Text bold>Press enter to start, ctrl-c to quit.</Text> : null}
      {ready && found.length > 0 ? <FoundInstalls found={found} onDone={onDone} onUninstall={onUninstall} /> : null}
    </Box>
  );
}

function FoundInstalls({
  found,
  onDone,
  onUninstall,
}: {
  found: FoundInstall[];
  onDone: (found?: FoundInstall) => void;
  onUninstall?: (found: FoundInstall) => void;
}) {
  const options = [
    ...found.map((f, i) => ({
      label:
        found.length === 1
          ? 'Set it up again (answers prefilled; re-running changes only what drifted)'
          : `Set up ${f.config.vault.name} again`,
      value: `setup:${i}`,
    })),
    { label: 'Set up a new install', value: 'new' },
    ...(onUninstall
      ? found.map((f, i) => ({
          label: `Uninstall ${found.length === 1 ? 'it' : f.config.vault.name} (the vault and its secrets stay)`,
          value: `uninstall:${i}`,
        }))
      : []),
  ];
  return (
    <Box flexDirection="column">
      <Text bold>Found an install made by feathr-kv-setup:</Text>
      {found.flatMap((f, i) => f.lines.map((line, j) => <Text key={`${i}-${j}`}>{`  ${line}`}</Text>))}
      <Text bold>? What now?</Text>
      <Box marginLeft={2}>
        <Picker
          options={options}
          onSubmit={(choice) => {
            const [what, index] = choice.split(':');
            const install = index !== undefined ? found[Number(index)] : undefined;
            if (what === 'uninstall' && install) return onUninstall?.(install);
            onDone(install);
          }}
        />
      </Box>
      <Text dimColor> ↑↓ move · enter choose · ctrl-c quit</Text>
    </Box>
  );
}
