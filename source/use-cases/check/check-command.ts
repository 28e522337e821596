/**
 * Wiring for `feathr-kv-setup check`: opens Azure and the cluster (real, an in-process sandbox
 * or a serving one) the way every preset command does, then hands over to the checks. The same
 * check code runs in all three.
 */
import { runInterruptible } from '../../connect/interrupt.js';
import { openPorts, portsRequest, type ConnectFlags } from '../../connect/ports.js';
import type { CheckContext } from '../../checks/types.js';
import type { Config } from '../../config/schema.js';
import type { Reporter } from '../../output/reporter.js';
import { azurePorts } from '../run-skeleton.js';
import { runCheckCommand } from './run-checks.js';

export interface CheckCommandInput {
  config: Config;
  flags: ConnectFlags & { kubeContext?: string };
  reporter: Pick<Reporter, 'mode' | 'emit'>;
}

export async function checkCommand(input: CheckCommandInput): Promise<number> {
  return runInterruptible(
    () => openPorts(portsRequest(input)),
    (ports, signal) => {
      const ctx: CheckContext = {
        config: input.config,
        ...azurePorts(ports.connection),
        kube: ports.kube,
        signal,
        ...(input.config.probe?.image ? { probeImage: input.config.probe.image } : {}),
        // Role assignments take up to 10 minutes on Azure; the sandbox's delay is seconds. Each
        // poll is a probe (four kubectl calls), so a second apart keeps the sandbox's wait to
        // some thirty polls, as Azure's is to forty.
        pollIntervalMs: ports.sandbox ? 1_000 : 15_000,
        waitTimeoutMs: ports.sandbox ? 30_000 : 10 * 60_000,
      };
      return runCheckCommand(ctx, { mode: input.reporter.mode, emit: (event) => input.reporter.emit(event) });
    },
  );
}
