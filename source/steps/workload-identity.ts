/**
 * workload-identity: a user-assigned managed identity plus a federated credential that trusts
 * the cluster's OIDC issuer for the Feathr ServiceAccount (subject system:serviceaccount:<ns>:<sa>,
 * audience api://AzureADTokenExchange). AKS: the cluster's oidcIssuerProfile.issuerURL; another
 * cloud: cluster.oidcIssuer from the preset.
 */
import { type Change } from '../kernel/step.js';
import { defineStep } from './step-context.js';
import { blocked, fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { identityMode, workloadIdentityNames, type SetupConfig } from '../config/setup-config.js';
import { MANAGED_BY_TAG } from '../domain/ownership.js';
import { requireCluster } from '../azure/aks.js';
import {
  createIdentity,
  getFederatedCredential,
  getIdentity,
  putFederatedCredential,
  TOKEN_EXCHANGE_AUDIENCE,
} from '../azure/identity.js';
import type { AzureClients } from '../azure/clients.js';
import { aksRef } from './topology.js';

type Ctx = { config: SetupConfig; azure: AzureClients; signal: AbortSignal };

async function issuer(ctx: Ctx): Promise<{ url?: string; problem?: string; hint?: string }> {
  if (ctx.config.target === 'other-cloud') {
    return ctx.config.cluster?.oidcIssuer
      ? { url: ctx.config.cluster.oidcIssuer }
      : {
          problem: "Workload identity needs the cluster's OIDC issuer URL.",
          hint: 'Set cluster.oidcIssuer in the preset (e.g. from `kubectl get --raw /.well-known/openid-configuration`).',
        };
  }
  const ref = aksRef(ctx.config);
  const cluster = await requireCluster(ctx, ref.resourceGroup, ref.name);
  const url = cluster.oidcIssuerProfile?.enabled ? cluster.oidcIssuerProfile.issuerURL : undefined;
  return url
    ? { url }
    : {
        problem: `AKS cluster ${ref.name} has no OIDC issuer, which workload identity needs.`,
        hint: `az aks update -g ${ref.resourceGroup} -n ${ref.name} --enable-oidc-issuer --enable-workload-identity`,
      };
}

async function diff(ctx: Ctx) {
  const names = workloadIdentityNames(ctx.config);
  const iss = await issuer(ctx);
  const identity = await getIdentity(ctx, names.resourceGroup, names.identity);
  const fic = identity
    ? await getFederatedCredential(ctx, names.resourceGroup, names.identity, names.credential)
    : undefined;
  const observed = {
    identity: identity?.principalId ?? null,
    issuer: fic?.issuer ?? null,
    subject: fic?.subject ?? null,
    audiences: fic?.audiences ?? null,
    want: iss.url ?? null,
  };
  const changes: Change[] = [];
  changes.push(
    identity
      ? { mark: '=', resource: `managed identity ${names.identity}`, reason: `exists (clientId ${identity.clientId})` }
      : {
          mark: '+',
          resource: `managed identity ${names.identity}`,
          to: names.resourceGroup,
          reason: 'the identity Feathr pods use to read secrets',
        },
  );
  const label = `federated credential ${names.identity}/${names.credential}`;
  if (!fic)
    changes.push({
      mark: '+',
      resource: label,
      to: names.subject,
      reason: `trust tokens from ${iss.url ?? 'the cluster issuer'}`,
    });
  else if (
    fic.issuer !== iss.url ||
    fic.subject !== names.subject ||
    !(fic.audiences ?? []).includes(TOKEN_EXCHANGE_AUDIENCE)
  )
    changes.push({
      mark: '~',
      resource: label,
      from: `${fic.issuer} ${fic.subject}`,
      to: `${iss.url} ${names.subject}`,
      reason: 'issuer or subject changed',
    });
  else changes.push({ mark: '=', resource: label, reason: 'matches the issuer and subject' });
  return { names, iss, observed, changes };
}

export const workloadIdentityStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'workload-identity',
  title: 'Workload identity',
  dependsOn: ['resource-group'],
  appliesTo: (config) => identityMode(config) === 'workload-identity',
  async plan(ctx) {
    const d = await diff(ctx);
    if (d.iss.problem) return blocked(d.observed, d.iss.problem, d.iss.hint);
    return fromChanges(d.observed, d.changes);
  },
  async apply(ctx) {
    const { names, iss } = await diff(ctx);
    if (!iss.url) throw new UserError(iss.problem ?? 'No OIDC issuer.', iss.hint);
    if (!(await getIdentity(ctx, names.resourceGroup, names.identity)))
      await createIdentity(ctx, names.resourceGroup, names.identity, ctx.config.azure.location, { ...MANAGED_BY_TAG });
    await putFederatedCredential(ctx, names.resourceGroup, names.identity, names.credential, iss.url, names.subject);
  },
  async verify(ctx) {
    const d = await diff(ctx);
    if (d.changes.some((c) => c.mark !== '='))
      throw new UserError(
        `Workload identity ${d.names.identity} doesn't match after the update.`,
        'Run the same command again.',
      );
    return `Identity ${d.names.identity} trusts ${d.names.subject}`;
  },
});
