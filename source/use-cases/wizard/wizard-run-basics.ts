/**
 * What a setup run and an uninstall started from the wizard share: the run.started event, the
 * Azure connection for the chosen subscription, the cluster port of the chosen context, and
 * the options of an approved-on-screen apply (one approval through the wizard, never --yes).
 */
import type { AzureConnection } from '../../azure/clients.js';
import type { Plan } from '../../kernel/plan.js';
import type { EventSink } from '../../kernel/events.js';
import type { KubePort } from '../../kube/port.js';
import type { RunIo } from './run-io.js';
import type { WizardConnection } from '../../connect/wizard-connection.js';

export interface WizardRunBasics {
  connection: AzureConnection;
  kube?: KubePort;
  apply: {
    mode: 'apply';
    yes: false;
    hasTTY: true;
    signal: AbortSignal;
    emit: EventSink;
    confirm: (plan: Plan) => Promise<boolean>;
  };
}

export async function wizardRunBasics(
  wizard: WizardConnection,
  config: { target: 'azure' | 'other-cloud'; azure: { subscriptionId: string }; cluster?: { kubeContext?: string } },
  io: RunIo,
  command: 'setup' | 'uninstall',
): Promise<WizardRunBasics> {
  io.emit({ type: 'run.started', command, target: config.target, sandbox: wizard.sandbox });
  const connection = await wizard.forSubscription(config.azure.subscriptionId);
  const context = config.cluster?.kubeContext;
  const kube = context ? await wizard.clusters.port(context) : undefined;
  return {
    connection,
    ...(kube ? { kube } : {}),
    apply: { mode: 'apply', yes: false, hasTTY: true, signal: io.signal, emit: io.emit, confirm: io.approve },
  };
}
