/** What `<vault>.vault.azure.net` resolves to from the cluster, judged against the topology. */
import type { DiagnosisContext } from './fix-context.js';
import { fixes } from './fixes.js';
import { isPublicIpv4 } from '../domain/ip-rules.js';
import type { Diagnosis } from './diagnosis-types.js';

/**
 * Judges what `<vault>.vault.azure.net` resolved to from the cluster. In the `azure`
 * topology the answer must be the private endpoint's NIC address: a public
 * answer means the private zone isn't linked to the cluster's VNet.
 */
export function diagnoseDnsAnswer(
  addresses: readonly string[],
  ctx: DiagnosisContext,
  error?: string,
): Diagnosis | undefined {
  const host = `${ctx.vaultName}.vault.azure.net`;
  if (addresses.length === 0) {
    return {
      code: 'dns-no-answer',
      cause: `Can't resolve ${host} from the cluster${error ? ` (${error})` : ''}.`,
      fix:
        ctx.target === 'azure'
          ? fixes.aRecord(ctx)
          : `Check that vault ${ctx.vaultName} exists and that the cluster's DNS forwards to public DNS.`,
      facts: {},
    };
  }
  if (ctx.target !== 'azure') return undefined;
  const publicAnswer = addresses.find(isPublicIpv4);
  if (publicAnswer) {
    return {
      code: 'dns-public-answer',
      cause: `Can't reach vault ${ctx.vaultName} from the cluster: it resolves to ${publicAnswer}, a public address.`,
      fix: fixes.linkZone(ctx),
      facts: { address: publicAnswer },
    };
  }
  if (ctx.privateEndpointIp && !addresses.includes(ctx.privateEndpointIp)) {
    return {
      code: 'dns-wrong-private-answer',
      cause: `Vault ${ctx.vaultName} resolves to ${addresses.join(', ')} from the cluster, not to its private endpoint's address ${ctx.privateEndpointIp}.`,
      fix: fixes.aRecord(ctx),
      facts: { address: addresses[0] ?? '' },
    };
  }
  return undefined;
}
