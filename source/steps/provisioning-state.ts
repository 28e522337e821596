/**
 * One rule for every ARM resource a step PUTs (issues 4 and 9): an operation that ends Failed
 * (or Canceled) leaves the resource in place in that provisioningState, and ARM repairs it when
 * the same PUT is sent again. So a step's plan shows the repair as `~ provisioningState`, its
 * apply re-sends the same settings, and its verify refuses a resource that didn't get there;
 * "it exists" alone would let a re-run call a broken resource done.
 */
import { UserError } from '../kernel/errors.js';
import type { Change } from '../kernel/step.js';

/** Classic SDKs (network, private DNS, AKS) flatten `properties`; arm-keyvault keeps them nested. */
export interface Provisioned {
  provisioningState?: string;
  properties?: { provisioningState?: string };
}

export function provisioningStateOf(resource: Provisioned | undefined): string | undefined {
  return resource?.provisioningState ?? resource?.properties?.provisioningState;
}

/**
 * Failed or Canceled: the terminal states other than Succeeded. Anything else
 * (Succeeded, none at all, or still Updating) isn't something a second PUT should interrupt.
 */
export function lastOperationFailed(resource: Provisioned | undefined): boolean {
  const state = provisioningStateOf(resource)?.toLowerCase() ?? '';
  return state.includes('fail') || state === 'canceled' || state === 'cancelled';
}

/** The plan line for a resource whose last operation failed: the same PUT again. */
export function repairChange(resource: string, current: Provisioned | undefined): Change {
  return {
    mark: '~',
    resource,
    field: 'provisioningState',
    from: provisioningStateOf(current) ?? 'Failed',
    to: 'Succeeded',
    reason: 'the last operation on it failed: send the same settings again',
  };
}

/**
 * For verify: throws when the resource's last operation failed. `label` is how the resource is
 * named in messages, e.g. "Subnet shared-vnet/kv-endpoints".
 */
export function requireProvisioned(label: string, resource: Provisioned | undefined): void {
  if (!lastOperationFailed(resource)) return;
  throw new UserError(
    `${label} is in the ${provisioningStateOf(resource)} provisioning state.`,
    'Run the same command again; it re-sends the same settings, which is how ARM repairs a failed resource.',
  );
}
