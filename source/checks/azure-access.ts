/** Azure sign-in, subscription, the AKS cluster record, and the operator's real permissions. */
import type { Permission } from '@azure/arm-authorization';
import { addonIdentity, addonSettings, clusterVnet, getCluster } from '../azure/aks.js';
import { getVnet } from '../azure/network.js';
import { codeOf, isNotFound, statusOf } from '../azure/errors.js';
import { grantCommands, missingActions, parseGroupKey, requiredActions } from './permissions.js';
import { clientsFor } from '../azure/subscription-clients.js';
import { fail, pass, skip, type Check, type CheckContext } from './types.js';

const noAzure = () => skip('no Azure connection in this run');

function tenantFlag(ctx: CheckContext): string {
  const tenant = ctx.config.azure.tenantId ?? ctx.azure?.tenantId;
  return tenant ? ` --tenant ${tenant}` : '';
}

export const azureChecks: readonly Check[] = [
  {
    id: 'azure.sign-in',
    category: 'azure',
    phase: 'preflight',
    description: 'an Azure token can be had',
    severity: 'fatal',
    hint: (ctx) =>
      `az login${tenantFlag(ctx)} (or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal)`,
    async run(ctx) {
      if (!ctx.azure) return noAzure();
      const endpoint = ctx.azure.connection.endpoint.replace(/\/+$/, '');
      const token = await ctx.azure.connection.credential.getToken(`${endpoint}/.default`, { abortSignal: ctx.signal });
      if (!token) return fail("Can't get an Azure token: the credential returned none.");
      return pass(undefined, { signedIn: true });
    },
  },
  {
    id: 'azure.subscription',
    category: 'azure',
    phase: 'preflight',
    description: 'the subscription is readable',
    severity: 'fatal',
    hint: (ctx) =>
      `az account set --subscription ${ctx.config.azure.subscriptionId}, and check that your account has at least Reader on it`,
    async run(ctx, facts) {
      if (!ctx.azure) return noAzure();
      if (!facts.signedIn) return skip("there's no Azure token");
      const id = ctx.config.azure.subscriptionId;
      try {
        for await (const group of ctx.azure.resources.resourceGroups.list({ top: 1, abortSignal: ctx.signal })) {
          void group;
          break;
        }
      } catch (error) {
        return fail(`Can't read subscription ${id}: ${codeOf(error) ?? statusOf(error) ?? (error as Error).message}.`);
      }
      return pass(id);
    },
  },
  {
    id: 'azure.aks-cluster',
    category: 'azure',
    phase: 'preflight',
    description: 'the AKS cluster exists',
    severity: 'fatal',
    hint: 'Set cluster.aks.resourceGroup and cluster.aks.name to the cluster you install on (az aks list -o table).',
    async run(ctx, facts) {
      const aks = ctx.config.cluster?.aks;
      if (ctx.config.target !== 'azure' || !aks) return skip('the target is not AKS');
      if (!ctx.azure) return noAzure();
      if (!facts.signedIn) return skip("there's no Azure token");
      const inner = { azure: ctx.azure, signal: ctx.signal };
      const cluster = await getCluster(inner, aks.resourceGroup, aks.name);
      if (!cluster?.id) return fail(`AKS cluster ${aks.name} doesn't exist in resource group ${aks.resourceGroup}.`);
      const identity = addonIdentity(cluster);
      const vnet = await clusterVnet(inner, cluster);
      const vnetBody = vnet ? await getVnet(inner, vnet.ref) : undefined;
      return pass(`${aks.name}${vnet ? ` in VNet ${vnet.ref.name}` : ''}`, {
        aks: {
          id: cluster.id,
          addonEnabled: addonSettings(cluster)?.enabled === true,
          ...(identity?.clientId ? { addonClientId: identity.clientId } : {}),
          ...(identity?.objectId ? { addonObjectId: identity.objectId } : {}),
          ...(cluster.oidcIssuerProfile?.issuerURL ? { oidcIssuer: cluster.oidcIssuerProfile.issuerURL } : {}),
        },
        ...(vnet
          ? {
              aksVnet: {
                name: vnet.ref.name,
                resourceGroup: vnet.ref.resourceGroup,
                id: vnetBody?.id ?? vnet.id,
                addressPrefixes: vnetBody?.addressSpace?.addressPrefixes ?? [],
              },
            }
          : {}),
      });
    },
  },
  {
    id: 'permissions.plan',
    category: 'permissions',
    phase: 'preflight',
    description: 'your account may make the planned changes',
    severity: 'fatal',
    hint: (ctx) =>
      `Ask for a role that grants the missing actions on resource group ${ctx.config.azure.resourceGroup} (for example Contributor plus Role Based Access Control Administrator); if the role is PIM-eligible, activate it first.`,
    async run(ctx, facts) {
      if (!ctx.azure) return noAzure();
      if (!facts.signedIn) return skip("there's no Azure token");
      const missing = new Map<string, string[]>();
      const unknownGroups: string[] = [];
      for (const [group, actions] of requiredActions(ctx.config, facts)) {
        const permissions: Permission[] = [];
        try {
          const place = parseGroupKey(group);
          const authorization = (await clientsFor(ctx.azure, place.subscriptionId)).authorization;
          for await (const p of authorization.permissions.listForResourceGroup(place.resourceGroup, {
            abortSignal: ctx.signal,
          }))
            permissions.push(p);
        } catch (error) {
          // A group the plan creates has no permissions to list yet.
          if (isNotFound(error)) {
            unknownGroups.push(group);
            continue;
          }
          throw error;
        }
        const lacking = missingActions(permissions, actions);
        if (lacking.length > 0) missing.set(group, lacking);
      }
      if (missing.size > 0) {
        const listed = [...missing].flatMap(([group, actions]) => actions.map((a) => `${a} on ${group}`));
        const operator = await ctx.operator?.whoAmI();
        const assignee = operator
          ? `--assignee-object-id ${operator.objectId} --assignee-principal-type ${operator.principalType}`
          : '--assignee $(az ad signed-in-user show --query id -o tsv)';
        return fail(
          `Your account isn't allowed to: ${listed.join(', ')}. The run would stop at the first of these changes.`,
          {
            hint: `Have an Owner grant the missing actions: ${grantCommands(missing, ctx.config.azure.subscriptionId, assignee)} (if you hold such a role through PIM, activate it instead).`,
          },
        );
      }
      const note =
        unknownGroups.length > 0
          ? ` (resource group ${unknownGroups.join(', ')} doesn't exist yet: the run creates it, which needs Microsoft.Resources/subscriptions/resourceGroups/write)`
          : '';
      return pass(`every required action is allowed${note}`);
    },
  },
];
