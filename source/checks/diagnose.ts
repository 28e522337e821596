/**
 * Known failure texts → cause and exact fix. The texts come from the CSI driver, the Azure
 * provider, Entra ID and Key Vault (azure-facts §2 and §5). Their wording is "not
 * contractual", so every rule matches a stable substring (an error code, a fixed phrase),
 * never a whole message. Rules are data and are tried in order: the most specific first.
 */
import { fixes, type DiagnosisContext } from './fixes.js';
import { isPublicIpv4, matchingRule, normalizeRule } from './ip.js';

export type { DiagnosisContext } from './fixes.js';

export type DiagnosisCode =
  | 'csi-driver-not-registered'
  | 'sync-rbac-missing'
  | 'node-publish-secret-missing'
  | 'sp-secret-invalid'
  | 'federation-mismatch'
  | 'identity-not-found'
  | 'identity-ambiguous'
  | 'firewall-blocks-egress'
  | 'public-access-disabled'
  | 'rbac-denied'
  | 'secret-not-found'
  | 'secret-disabled'
  | 'vault-unreachable'
  | 'spc-invalid'
  | 'dns-public-answer'
  | 'dns-wrong-private-answer'
  | 'dns-no-answer';

export interface Diagnosis {
  code: DiagnosisCode;
  /** What is wrong and why, present tense, e.g. "Can't reach vault feathr-kv from the cluster: …". */
  cause: string;
  /** The exact fix: a command or a setting. */
  fix: string;
  /** Values parsed from the text, for the JSON output and for later checks (never secret values). */
  facts: Record<string, string>;
}

interface Rule {
  code: DiagnosisCode;
  pattern: RegExp;
  explain(match: RegExpMatchArray, text: string, ctx: DiagnosisContext, objectName?: string): Omit<Diagnosis, 'code'>;
}

/** `failed to get objectType:secret, objectName:CONN-STR, objectVersion:: <cause>` (provider.go). */
const OBJECT_NAME = /objectName:\s*([0-9A-Za-z-]+)/;
const CLIENT_ADDRESS = /Client address:\s*([0-9]{1,3}(?:\.[0-9]{1,3}){3})/;

/** Drops unknown values so facts hold strings only. */
function only(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const RULES: readonly Rule[] = [
  {
    code: 'csi-driver-not-registered',
    pattern: /driver name secrets-store\.csi\.k8s\.io not found in the list of registered CSI drivers/,
    explain: (_m, _t, ctx) => ({
      cause: "The Secrets Store CSI driver isn't registered on the node that runs the pod, so the volume can't mount.",
      fix: fixes.installDriver(ctx),
      facts: {},
    }),
  },
  {
    code: 'sync-rbac-missing',
    pattern: /cannot create resource \\?"secrets\\?"|failed to create Kubernetes secret/,
    explain: (_m, _t, ctx) => ({
      cause: "The CSI driver can't create the synced Kubernetes Secret: secret sync is off, so its service account has no rights on Secrets.",
      fix: fixes.enableSync(ctx),
      facts: {},
    }),
  },
  {
    code: 'node-publish-secret-missing',
    pattern: /fetching NodePublishSecretRef ([^/\s]+)\/([^\s]+) failed/,
    explain: (m, _t, ctx) => ({
      cause: `The service-principal Secret ${m[2]} doesn't exist in namespace ${m[1]}, so the driver has no credentials.`,
      fix: fixes.createSpSecret(ctx, m[1] ?? '', m[2] ?? ''),
      facts: { namespace: m[1] ?? '', secret: m[2] ?? '' },
    }),
  },
  {
    code: 'sp-secret-invalid',
    pattern: /AADSTS7000215/,
    explain: (_m, _t, ctx) => ({
      cause: "Entra ID rejects the service principal's client secret (AADSTS7000215): the Secret holds a wrong or expired value, or the secret's ID instead of its value.",
      fix: fixes.replaceSpSecret(ctx),
      facts: {},
    }),
  },
  {
    code: 'federation-mismatch',
    pattern: /AADSTS70021/,
    explain: (_m, text, ctx) => {
      const issuer = /Assertion Issuer:\s*'([^']*)'/.exec(text)?.[1] ?? '';
      const subject = /Assertion Subject:\s*'([^']*)'/.exec(text)?.[1] ?? '';
      const presented = issuer || subject ? ` for issuer ${issuer || '?'} and subject ${subject || '?'}` : '';
      return {
        cause: `Entra ID finds no federated credential${presented} (AADSTS70021), so the pod's service-account token isn't accepted.`,
        fix: fixes.federatedCredential(ctx, issuer, subject),
        facts: { issuer, subject },
      };
    },
  },
  {
    code: 'identity-not-found',
    pattern: /Identity not found/,
    explain: (_m, _t, ctx) => ({
      cause: `The identity the SecretProviderClass names${ctx.identityClientId ? ` (${ctx.identityClientId})` : ''} isn't attached to the nodes, so no token can be had for it.`,
      fix: fixes.useAddonIdentity(ctx),
      facts: only({ clientId: ctx.identityClientId }),
    }),
  },
  {
    code: 'identity-ambiguous',
    pattern: /Multiple user assigned identities exist/,
    explain: (_m, _t, ctx) => ({
      cause: "The nodes carry several user-assigned identities and the SecretProviderClass doesn't say which one to use.",
      fix: fixes.useAddonIdentity(ctx),
      facts: {},
    }),
  },
  {
    code: 'firewall-blocks-egress',
    pattern: /ForbiddenByFirewall|Client address is not authorized/,
    explain: (_m, text, ctx) => {
      const address = CLIENT_ADDRESS.exec(text)?.[1];
      const rules = (ctx.ipRules ?? []).map(normalizeRule);
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

/** Maps a failure text (a FailedMount event, a provider log line, a 403 body) to a diagnosis. */
export function diagnoseText(text: string, ctx: DiagnosisContext): Diagnosis | undefined {
  const objectName = OBJECT_NAME.exec(text)?.[1];
  for (const rule of RULES) {
    const match = rule.pattern.exec(text);
    if (match) return { code: rule.code, ...rule.explain(match, text, ctx, objectName) };
  }
  return undefined;
}

/** The cause part of a FailedMount text, without the long gRPC prefix, for messages. */
export function failedMountCause(text: string): string {
  const afterVersion = /objectVersion:[^:]*:\s*(.*)$/s.exec(text)?.[1];
  if (afterVersion) return afterVersion.trim();
  const lastDesc = text.split('desc = ').pop();
  return (lastDesc ?? text).trim();
}

/**
 * Judges what `<vault>.vault.azure.net` resolved to from the cluster. In the `azure`
 * topology the answer must be the private endpoint's NIC address (azure-facts §3): a public
 * answer means the private zone isn't linked to the cluster's VNet.
 */
export function diagnoseDnsAnswer(addresses: readonly string[], ctx: DiagnosisContext, error?: string): Diagnosis | undefined {
  const host = `${ctx.vaultName}.vault.azure.net`;
  if (addresses.length === 0) {
    return {
      code: 'dns-no-answer',
      cause: `Can't resolve ${host} from the cluster${error ? ` (${error})` : ''}.`,
      fix: ctx.target === 'azure' ? fixes.aRecord(ctx) : `Check that vault ${ctx.vaultName} exists and that the cluster's DNS forwards to public DNS.`,
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
