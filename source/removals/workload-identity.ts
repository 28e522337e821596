/**
 * Workload identity: the federated credential, then the user-assigned identity, when the
 * identity carries our tag and nothing else. A credential on an identity the tool didn't
 * create is kept: a federated credential has no tag or description to prove who made it.
 */
import { getFederatedCredential, getIdentity } from '../azure/identity.js';
import { workloadIdentityNames } from '../config/setup-config.js';
import { CHANGED_SINCE, foreignTags, tagOwnership } from '../domain/ownership.js';
import { deleteFederatedCredential, deleteIdentity } from '../azure/removal-calls.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_ROLES } from './role-assignments.js';

const REMOVE_IDENTITY = 'remove-workload-identity';

export const removeWorkloadIdentityStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_IDENTITY,
  title: 'Workload identity',
  dependsOn: [REMOVE_ROLES],
  appliesTo: (config) => config.identity?.mode === 'workload-identity',
  done: 'Workload identity removed',
  async inspect(ctx) {
    const names = workloadIdentityNames(ctx.config);
    const identity = await getIdentity(ctx, names.resourceGroup, names.identity);
    if (!identity) return { observed: { identity: null }, items: [] };
    const fic = await getFederatedCredential(ctx, names.resourceGroup, names.identity, names.credential);
    const owner = tagOwnership(identity.tags);
    const observed = { identity: identity.principalId, owner, fic: fic?.subject ?? null };
    const idLabel = `managed identity ${names.identity}`;
    const ficLabel = `federated credential ${names.identity}/${names.credential}`;
    if (owner === 'not-ours') {
      return {
        observed,
        items: [
          keepItem(idLabel, 'not tagged managed-by: feathr-kv-setup'),
          ...(fic
            ? [
                keepItem(
                  ficLabel,
                  `on an identity this tool didn't create; remove it yourself if unused: az identity federated-credential delete -g ${names.resourceGroup} --identity-name ${names.identity} -n ${names.credential}`,
                ),
              ]
            : []),
        ],
      };
    }
    if (owner === 'changed') {
      return {
        observed,
        items: [
          keepItem(
            idLabel,
            `${CHANGED_SINCE}: tags ${foreignTags(identity.tags).join(', ')} were added; kept with its federated credential`,
          ),
        ],
      };
    }
    return {
      observed,
      items: [
        ...(fic
          ? [
              removeItem(ficLabel, `trusts ${fic.subject}`, () =>
                deleteFederatedCredential(ctx, names.resourceGroup, names.identity, names.credential),
              ),
            ]
          : []),
        removeItem(idLabel, 'created by this tool', () => deleteIdentity(ctx, names.resourceGroup, names.identity)),
      ],
    };
  },
});
