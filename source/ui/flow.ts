/**
 * The order of the questions, as data: which screens apply follows from the answers so far
 * (topology, new or existing vault). Escape goes back to the previous screen in this order.
 */
import type { Answers } from '../discovery/port.js';

export type ScreenId =
  | 'welcome'
  | 'topology'
  | 'subscription'
  | 'resource-group'
  | 'location'
  | 'vault-kind'
  | 'vault-name'
  | 'vault-existing'
  | 'aks'
  | 'kube-context'
  | 'endpoint-vnet'
  | 'subnet'
  | 'egress-ips'
  | 'csi'
  | 'identity'
  | 'monitor'
  | 'secret-sources'
  | 'mapping';

export function screenSequence(a: Answers, options: { kubeContextGiven?: boolean } = {}): ScreenId[] {
  const azure = a.target !== 'other-cloud';
  const seq: ScreenId[] = ['welcome', 'topology', 'subscription', 'resource-group', 'location', 'vault-kind'];
  seq.push(a.vault?.create === false ? 'vault-existing' : 'vault-name');
  if (azure) seq.push('aks');
  if (!options.kubeContextGiven) seq.push('kube-context');
  if (azure) seq.push('endpoint-vnet', 'subnet');
  else seq.push('egress-ips');
  seq.push('csi', 'identity', 'monitor', 'secret-sources', 'mapping');
  return seq;
}

/** The screen after `current` under the updated answers, or undefined when all are answered. */
export function nextScreen(
  current: ScreenId,
  a: Answers,
  options?: { kubeContextGiven?: boolean },
): ScreenId | undefined {
  const seq = screenSequence(a, options);
  const index = seq.indexOf(current);
  return index === -1 ? seq[0] : seq[index + 1];
}
