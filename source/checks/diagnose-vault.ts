/**
 * Failure texts from Key Vault and the network path to it: firewall, private access, RBAC,
 * missing or disabled secrets, an incomplete SecretProviderClass, timeouts. Tried in this order.
 */
import { fixes } from './fixes.js';
import { matchingRule, displayIpRule } from '../domain/ip-rules.js';
import { only, type Rule } from './diagnosis-types.js';

const CLIENT_ADDRESS = /Client address:\s*([0-9]{1,3}(?:\.[0-9]{1,3}){3})/;

export const vaultRules: readonly Rule[] = [
  {
    code: 'firewall-blocks-egress',
    pattern: /ForbiddenByFirewall|Client address is not authorized/,
    explain: (_m, text, ctx) => {
      const address = CLIENT_ADDRESS.exec(text)?.[1];
      const rules = (ctx.ipRules ?? []).map(displayIpRule);
      const listed = rules.length > 0 ? rules.join(', ') : 'none';
      const allowedBy = address ? matchingRule(address, rules) : undefined;
      const cause = address
        ? allowedBy
          ? `Vault ${ctx.vaultName}'s firewall refuses ${address} although ipRules hold ${allowedBy}: the rule hasn't taken effect yet or the request came from elsewhere.`
          : `Vault ${ctx.vaultName}'s firewall refuses the cluster: it sees the cluster's egress address ${address}, which isn't in its ipRules (${listed}).`
        : `Vault ${ctx.vaultName}'s firewall refuses the cluster's egress address (ipRules: ${listed}).`;
      return { cause, fix: fixes.allowIp(ctx, address), facts: only({ clientAddress: address }) };
    },
  },
  {
    code: 'public-access-disabled',
    pattern: /ForbiddenByConnection|Public network access is disabled/,
    explain: (_m, _t, ctx) => ({
      cause: `Vault ${ctx.vaultName} refuses the cluster: public network access is disabled and the request doesn't come through the private endpoint.`,
      fix: fixes.linkZone(ctx),
      facts: {},
    }),
  },
  {
    code: 'rbac-denied',
    pattern: /ForbiddenByRbac|Caller is not authorized to perform action/,
    explain: (_m, _t, ctx) => ({
      cause: `The identity${ctx.identityClientId ? ` ${ctx.identityClientId}` : ''} isn't allowed to read secrets in vault ${ctx.vaultName}: it has no Key Vault Secrets User role there, or a new assignment hasn't propagated yet.`,
      fix: fixes.grantSecretsUser(ctx),
      facts: {},
    }),
  },
  {
    code: 'secret-not-found',
    pattern: /SecretNotFound|A secret with \(name\/id\) [0-9A-Za-z-]+ was not found/,
    explain: (_m, text, ctx, objectName) => {
      const name =
        objectName ??
        /A secret with \(name\/id\) ([0-9A-Za-z-]+)/.exec(text)?.[1] ??
        /\/secrets\/([0-9A-Za-z-]+)/.exec(text)?.[1] ??
        'a mapped secret';
      return {
        cause: `Secret ${name} doesn't exist in vault ${ctx.vaultName}, and one missing object fails the whole mount.`,
        fix: fixes.addSecret(ctx, name),
        facts: { secret: name },
      };
    },
  },
  {
    code: 'secret-disabled',
    pattern: /SecretDisabled|not allowed on a disabled secret/,
    explain: (_m, _t, ctx, objectName) => ({
      cause: `Secret ${objectName ?? 'a mapped secret'} is disabled in vault ${ctx.vaultName}, so it can't be read.`,
      fix: `az keyvault secret set-attributes --vault-name ${ctx.vaultName} --name ${objectName ?? '<name>'} --enabled true`,
      facts: only({ secret: objectName }),
    }),
  },
  {
    code: 'spc-invalid',
    pattern: /keyvaultName is not provided|tenantId is not provided|Invalid vaultObjectTypes/,
    explain: (m, _t, ctx) => ({
      cause: `The SecretProviderClass is incomplete: ${m[0]}.`,
      fix: fixes.reinstallChart(ctx),
      facts: {},
    }),
  },
  {
    code: 'vault-unreachable',
    pattern: /context deadline exceeded|StatusCode=0|i\/o timeout|connection refused|no route to host/i,
    explain: (_m, _t, ctx) => ({
      cause: `The cluster can't open a connection to vault ${ctx.vaultName} on port 443: the request times out.`,
      fix: fixes.openPath(ctx),
      facts: {},
    }),
  },
];
