/**
 * Workload identity: the managed identity must hold a federated credential whose issuer is the
 * cluster's OIDC issuer and whose subject is the ServiceAccount the Feathr pods run as, with
 * audience api://AzureADTokenExchange. Entra compares issuer and subject exactly (case and a
 * trailing slash count), and a mismatch only shows at mount time as AADSTS70021, so this is
 * read from ARM and named before anyone has to decode a FailedMount event.
 */
import type { FederatedIdentityCredential } from '@azure/arm-msi';
import { TOKEN_EXCHANGE_AUDIENCE, getIdentity } from '../azure/identity.js';
import { workloadIdentityNames } from '../config/setup-config.js';
import { diagnosisContext } from './diagnosis-context.js';
import { fixes } from './fixes.js';
import { fail, pass, skip, type Check, type CheckContext, type CheckFacts } from './types.js';

function expectedIssuer(ctx: CheckContext, facts: CheckFacts): string | undefined {
  return ctx.config.target === 'other-cloud' ? ctx.config.cluster?.oidcIssuer : facts.aks?.oidcIssuer;
}

function issuerFix(ctx: CheckContext): string {
  const aks = ctx.config.cluster?.aks;
  return aks
    ? `az aks update --resource-group ${aks.resourceGroup} --name ${aks.name} --enable-oidc-issuer --enable-workload-identity`
    : "Set cluster.oidcIssuer in the preset to the cluster's issuer URL (kubectl get --raw /.well-known/openid-configuration shows it).";
}

export const federationCheck: Check = {
  id: 'identity.federation',
  category: 'identity',
  phase: 'installed',
  description: "the workload identity trusts the Feathr ServiceAccount's tokens",
  severity: 'fatal',
  hint: (ctx, facts) => fixes.federatedCredential(diagnosisContext(ctx, facts), expectedIssuer(ctx, facts) ?? '', ''),
  async run(ctx, facts) {
    if (ctx.config.identity?.mode !== 'workload-identity') return skip("the pods don't use workload identity");
    if (!ctx.azure) return skip('no Azure connection in this run');
    if (!facts.release) return skip("the Feathr release isn't deployed, so its ServiceAccount is unknown");
    const issuer = expectedIssuer(ctx, facts);
    if (!issuer)
      return fail("The cluster's OIDC issuer isn't known, so Entra ID can't be told whose tokens to trust.", {
        hint: issuerFix(ctx),
      });
    const subject = `system:serviceaccount:${facts.release.namespace}:${facts.release.serviceAccount}`;
    const names = workloadIdentityNames(ctx.config);
    const dctx = diagnosisContext(ctx, facts);
    const fix = fixes.federatedCredential(dctx, issuer, subject);
    const inner = { azure: ctx.azure, signal: ctx.signal };
    if (!(await getIdentity(inner, names.resourceGroup, names.identity))) {
      return fail(
        `Managed identity ${names.identity} doesn't exist in resource group ${names.resourceGroup}, so the pods have no identity to read the vault as.`,
        {
          hint: `az identity create --name ${names.identity} --resource-group ${names.resourceGroup} --location ${ctx.config.azure.location} && ${fix}`,
        },
      );
    }
    const credentials: FederatedIdentityCredential[] = [];
    for await (const c of ctx.azure.msi.federatedIdentityCredentials.list(names.resourceGroup, names.identity, {
      abortSignal: ctx.signal,
    }))
      credentials.push(c);
    const trusted = credentials.find(
      (c) => c.issuer === issuer && c.subject === subject && (c.audiences ?? []).includes(TOKEN_EXCHANGE_AUDIENCE),
    );
    if (trusted) return pass(`${names.identity} trusts ${subject} from ${issuer}`);
    const present = credentials.map((c) => `${c.name}: issuer ${c.issuer}, subject ${c.subject}`).join('; ');
    return fail(
      `Managed identity ${names.identity} has no federated credential for issuer ${issuer} and subject ${subject}${present ? ` (it has ${present})` : ''}, so Entra ID refuses the pods' token exchange with AADSTS70021 and every mount fails.`,
      { hint: fix, diagnosis: 'federation-mismatch' },
    );
  },
};
