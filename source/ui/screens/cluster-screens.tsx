/**
 * The cluster side: which kube context (shown and confirmed before any cluster change), the
 * egress IPs for another cloud (prefilled from the probe's Client address), the CSI driver
 * with rotation, and the identity the pods use.
 */
import { useState } from 'react';
import { allowedIpListProblems, allowedIpProblem } from '../../config/allowed-ips.js';
import { podNameProblem } from '../../domain/pod-name.js';
import { BackScope } from '../back-scope.js';
import { Picker } from '../picker.js';
import { Question } from '../question.js';
import { TextQuestion } from '../text-question.js';
import { useLoad } from '../use-load.js';
import { LoadGate } from './loading.js';
import type { ScreenProps } from './screen-props.js';
import type { Answers, NodeEgress } from '../../discovery/port.js';
import { matchingRule } from '../../domain/ip-rules.js';
import { MARK } from '../../output/marks.js';

export function KubeContextScreen({ answers, port, onDone }: ScreenProps) {
  const loaded = useLoad(() => Promise.all([port.kubeContexts(), port.aksClusters()]), [port]);
  return (
    <LoadGate loaded={loaded} what="kube contexts">
      {([contexts, clusters]) => {
        const aksNames = new Set(clusters.map((c) => c.name));
        const preferred =
          answers.kubeContext ??
          (answers.target === 'azure'
            ? contexts.find((c) => c.name === answers.aks?.name)?.name
            : contexts.find((c) => !aksNames.has(c.name))?.name) ??
          contexts.find((c) => c.current)?.name;
        return (
          <Question title="Kube context of that cluster" notes={['Cluster changes go only to this context.']}>
            <Picker
              defaultValue={preferred}
              options={contexts.map((c) => ({ label: c.name, value: c.name, hint: c.current ? 'current' : undefined }))}
              onSubmit={(kubeContext) => onDone({ kubeContext })}
            />
          </Question>
        );
      }}
    </LoadGate>
  );
}

function ipListProblem(text: string): string | undefined {
  const entries = splitIps(text);
  if (entries.length === 0) return 'Give at least one public IPv4 address or CIDR.';
  for (const entry of entries) {
    const problem = allowedIpProblem(entry);
    if (problem) return `${entry} ${problem}.`;
  }
  const listProblem = allowedIpListProblems(entries)[0];
  return listProblem ? `The list ${listProblem}.` : undefined;
}

const splitIps = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export function EgressIpsScreen({ answers, port, onDone }: ScreenProps) {
  const context = answers.kubeContext ?? '';
  const existing = answers.vault?.create === false ? answers.vault.name : undefined;
  const loaded = useLoad(
    () => Promise.all([port.egressIps(context, existing), port.oidcIssuer(context)]),
    [port, context, existing],
  );
  return (
    <LoadGate loaded={loaded} what={`the egress IPs of ${context}`}>
      {([found, issuer]) => (
        <EgressQuestion
          found={found}
          earlier={answers.allowedIps}
          onDone={(allowedIps) => onDone({ allowedIps, ...(issuer ? { oidcIssuer: issuer } : {}) })}
        />
      )}
    </LoadGate>
  );
}

/**
 * The allowlist, prefilled with every node's egress address; while it is edited, a node whose
 * address the list no longer covers is named with that address (a warning: the list may be
 * right, e.g. that node runs no Feathr pod).
 */
function EgressQuestion({
  found,
  earlier,
  onDone,
}: {
  found: readonly NodeEgress[];
  earlier?: readonly string[];
  onDone: (ips: string[]) => void;
}) {
  const addresses = [...new Set(found.map((f) => f.address))];
  const initial = (earlier ?? addresses).join(', ');
  const [typed, setTyped] = useState(initial);
  const listed = splitIps(typed);
  const missing = found.filter((f) => !matchingRule(f.address, listed));
  const named = found.filter((f) => f.node);
  const seen =
    addresses.length > 0
      ? `The vault saw ${addresses.join(', ')} from the cluster${named.length > 0 ? ` (${named.map((f) => `${f.node}: ${f.address}`).join('; ')})` : ''}.`
      : 'The cluster could not tell; ask its network admin.';
  return (
    <TextQuestion
      title="Public egress IPs of the cluster (the vault firewall admits only these)"
      notes={[
        seen,
        'Separate with commas or spaces.',
        ...missing.map(
          (m) =>
            `${MARK.warn} ${m.node ? `node ${m.node}` : 'a node'} egresses from ${m.address}, which this list leaves out: its pods couldn't reach the vault.`,
        ),
      ]}
      defaultValue={initial}
      onChange={setTyped}
      validate={ipListProblem}
      onSubmit={(text) => onDone(splitIps(text))}
    />
  );
}

export function CsiScreen({ answers, port, onDone }: ScreenProps) {
  const context = answers.kubeContext ?? '';
  const loaded = useLoad(() => port.csiState(context), [port, context]);
  // Coming back (esc from the next screen) lands on this screen's last step, the rotation.
  const [install, setInstall] = useState<NonNullable<Answers['csi']>['install'] | undefined>(answers.csi?.install);
  const [picked, setPicked] = useState(answers.csi?.install);
  if (install) {
    return (
      <BackScope onBack={() => setInstall(undefined)}>
        <Question
          title="Secret rotation"
          notes={['The driver re-reads the vault on this interval; pods see new values after a restart.']}
        >
          <Picker
            defaultValue={answers.csi?.rotation.enabled === false ? 'off' : 'on'}
            options={[
              { label: 'On, every 2 minutes', value: 'on' },
              { label: 'Off', value: 'off' },
            ]}
            onSubmit={(choice) =>
              onDone({ csi: { install, rotation: { enabled: choice === 'on', pollInterval: '2m' } } })
            }
          />
        </Question>
      </BackScope>
    );
  }
  return (
    <LoadGate loaded={loaded} what="the CSI driver state">
      {(state) => {
        const present = state !== undefined && state.installedBy !== 'none';
        // "Use the installed driver" only when there is one: the run would refuse it otherwise.
        const existing = present
          ? [{ label: `Use the driver that is installed (by ${state!.installedBy})`, value: 'existing' as const }]
          : [];
        const options =
          answers.target === 'azure'
            ? [
                { label: 'AKS add-on azureKeyvaultSecretsProvider', value: 'aks-addon' as const, hint: 'recommended' },
                { label: 'Helm chart csi-secrets-store-provider-azure', value: 'helm' as const },
                ...existing,
              ]
            : [
                {
                  label: 'Helm chart csi-secrets-store-provider-azure',
                  value: 'helm' as const,
                  hint: 'into kube-system, secret sync on',
                },
                ...existing,
              ];
        const earlier = answers.csi?.install;
        const preferred =
          earlier && options.some((o) => o.value === earlier) ? earlier : present ? 'existing' : options[0]!.value;
        return (
          <Question
            title="Secrets Store CSI driver"
            notes={[
              present
                ? `Installed already (by ${state!.installedBy}); it won't be installed twice.`
                : 'Not installed on this cluster yet.',
            ]}
          >
            <Picker
              defaultValue={picked && options.some((o) => o.value === picked) ? picked : preferred}
              options={options}
              onSubmit={(choice) => {
                setPicked(choice);
                setInstall(choice);
              }}
            />
          </Question>
        );
      }}
    </LoadGate>
  );
}

export function IdentityScreen({ answers, onDone }: ScreenProps) {
  // Coming back (esc from the next screen) lands on the last step answered here.
  const earlier = answers.identity;
  const [mode, setMode] = useState<'workload-identity' | 'service-principal' | undefined>(
    earlier?.mode === 'aks-addon' ? undefined : earlier?.mode,
  );
  const [picked, setPicked] = useState<string | undefined>(earlier?.mode);
  const [clientId, setClientId] = useState(earlier?.mode === 'service-principal' ? (earlier.clientId ?? '') : '');
  // The client id typed last, to start from when esc comes back to its question.
  const [typedClientId, setTypedClientId] = useState(clientId);
  if (mode === 'workload-identity') {
    return (
      <BackScope onBack={() => setMode(undefined)}>
        <TextQuestion
          key="wi-name"
          title="Name of the managed identity to create or reuse"
          notes={['Federated with the cluster’s OIDC issuer for ServiceAccount feathr-online.']}
          defaultValue={earlier?.mode === 'workload-identity' && earlier.name ? earlier.name : 'feathr-kv-reader'}
          validate={(n) =>
            /^[-\w.()]*[-\w()]$/.test(n) && n.length <= 90 ? undefined : 'Use letters, digits, -, _, ., ( or ).'
          }
          onSubmit={(name) => onDone({ identity: { mode, name, serviceAccount: 'feathr-online' } })}
        />
      </BackScope>
    );
  }
  if (mode === 'service-principal' && !clientId) {
    return (
      <BackScope onBack={() => setMode(undefined)}>
        <TextQuestion
          key="sp-client"
          title="Client id (application id) of the service principal"
          defaultValue={typedClientId}
          validate={(v) =>
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
              ? undefined
              : 'A client id is a GUID.'
          }
          onSubmit={(id) => {
            setTypedClientId(id);
            setClientId(id);
          }}
        />
      </BackScope>
    );
  }
  if (mode === 'service-principal') {
    return (
      <BackScope onBack={() => setClientId('')}>
        <TextQuestion
          key="sp-env"
          title="Environment variable that holds its client secret"
          notes={['The secret itself is never asked for or saved; only where to read it.']}
          defaultValue={
            earlier?.mode === 'service-principal' && earlier.clientSecretEnv
              ? earlier.clientSecretEnv
              : 'FEATHR_SP_SECRET'
          }
          validate={(v) => {
            const problem = podNameProblem(v);
            return problem ? `The name ${problem}.` : undefined;
          }}
          onSubmit={(clientSecretEnv) => onDone({ identity: { mode: 'service-principal', clientId, clientSecretEnv } })}
        />
      </BackScope>
    );
  }
  const options =
    answers.target === 'azure'
      ? [
          { label: 'The AKS add-on’s managed identity', value: 'aks-addon', hint: 'nothing to create' },
          { label: 'Workload identity', value: 'workload-identity' },
        ]
      : [
          { label: 'Workload identity federation', value: 'workload-identity', hint: 'no secret to rotate' },
          { label: 'Service principal', value: 'service-principal', hint: 'a client secret in the cluster' },
        ];
  return (
    <Question title="Identity the Feathr pods use to read the vault">
      <Picker
        defaultValue={picked && options.some((o) => o.value === picked) ? picked : options[0]!.value}
        options={options}
        onSubmit={(choice) => {
          setPicked(choice);
          if (choice === 'aks-addon') onDone({ identity: { mode: 'aks-addon' } });
          else setMode(choice as 'workload-identity' | 'service-principal');
        }}
      />
    </Question>
  );
}
