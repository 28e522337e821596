/**
 * The first screen. It renders at once (the first frame comes before any Azure SDK loads);
 * what was detected fills in as discovery answers.
 */
import { Box, Text, useInput } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { Detected } from '../wizard-port.js';
import type { Loaded } from '../use-load.js';

export function detectedLines(d: Detected): string[] {
  return [
    `Azure account   ${d.account ?? 'not signed in'}${d.tenantId ? `  (tenant ${d.tenantId})` : ''}`,
    `Kube context    ${d.kubeContext ?? 'none'}`,
    `kubectl         ${d.kubectl ?? 'not found'}`,
    `helm            ${d.helm ?? 'not found'}`,
  ];
}

export function WelcomeScreen({ detected, onDone }: { detected: Loaded<Detected>; onDone: () => void }) {
  useInput((_input, key) => {
    if (key.return && detected.state !== 'loading') onDone();
  });
  return (
    <Box flexDirection="column">
      <Text bold>feathr-kv-setup: Feathr on Kubernetes, secrets in Azure Key Vault</Text>
      <Text>It asks a few questions, shows the plan, and changes nothing before you approve.</Text>
      {detected.state === 'ready' && detected.data.sandbox ? <Text>Sandbox: Azure and the clusters are simulated on this machine.</Text> : null}
      <Text> </Text>
      {detected.state === 'loading' ? <Spinner label="Detecting your Azure account, kube context and tools…" /> : null}
      {detected.state === 'failed' ? <Text>{`✖ Detection failed: ${detected.error}`}</Text> : null}
      {detected.state === 'ready' ? (
        <Box flexDirection="column">
          {detectedLines(detected.data).map((line, i) => (
            <Text key={i}>{`  ${line}`}</Text>
          ))}
          {detected.data.problems.map((p, i) => (
            <Text key={`p${i}`}>{`  ! ${p}`}</Text>
          ))}
          <Text> </Text>
          <Text bold>Press enter to start, ctrl-c to quit.</Text>
        </Box>
      ) : null}
    </Box>
  );
}
