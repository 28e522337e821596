/** Failure texts from Entra ID and IMDS: which identity the mount reads the vault as. */
import { fixes } from './fixes.js';
import { only, type Rule } from './diagnosis-types.js';

export const identityRules: readonly Rule[] = [
  {
    code: 'sp-secret-invalid',
    pattern: /AADSTS7000215/,
    explain: (_m, _t, ctx) => ({
      cause:
        "Entra ID rejects the service principal's client secret (AADSTS7000215): the Secret holds a wrong or expired value, or the secret's ID instead of its value.",
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
      cause:
        "The nodes carry several user-assigned identities and the SecretProviderClass doesn't say which one to use.",
      fix: fixes.useAddonIdentity(ctx),
      facts: {},
    }),
  },
];
