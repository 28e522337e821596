/**
 * Rules that span fields. They read the raw document defensively,
 * so they report alongside type errors elsewhere instead of waiting for a clean parse.
 */
import { valueAt, type ConfigIssue } from './issues.js';

const isSet = (value: unknown) => value !== undefined && value !== null;

export function crossFieldIssues(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (...path: string[]) => valueAt(raw, path);
  const target = at('target');
  const csiInstall = at('csi', 'install');
  const mode = at('identity', 'mode');

  if (target === 'azure') {
    if (!isSet(at('network', 'privateEndpoint'))) {
      issues.push({
        path: ['network', 'privateEndpoint'],
        problem: 'is required when target is azure',
        fix: 'add privateEndpoint: { vnet, subnet, addressPrefix }; the vault is reached only through it',
      });
    }
    if (!isSet(at('cluster', 'aks'))) {
      issues.push({
        path: ['cluster', 'aks'],
        problem: 'is required when target is azure',
        fix: 'add aks: { resourceGroup, name } naming the AKS cluster',
      });
    }
    if (isSet(at('network', 'allowedIps'))) {
      issues.push({
        path: ['network', 'allowedIps'],
        problem: "is for target other-cloud; on azure the vault's public access is disabled",
        fix: 'remove it, or set target: other-cloud',
      });
    }
  }

  if (target === 'other-cloud') {
    const ips = at('network', 'allowedIps');
    if (!isSet(ips) || (Array.isArray(ips) && ips.length === 0)) {
      issues.push({
        path: ['network', 'allowedIps'],
        problem: 'needs at least one entry when target is other-cloud',
        fix: "list the cluster's public egress IPs, e.g. [52.14.20.1]",
      });
    }
    if (isSet(at('network', 'privateEndpoint'))) {
      issues.push({
        path: ['network', 'privateEndpoint'],
        problem: 'is for target azure; a cluster outside Azure reaches the public endpoint',
        fix: 'remove it, or set target: azure',
      });
    }
    if (isSet(at('cluster', 'aks'))) {
      issues.push({ path: ['cluster', 'aks'], problem: 'is for target azure', fix: 'remove it, or set target: azure' });
    }
    if (csiInstall === 'aks-addon') {
      issues.push({
        path: ['csi', 'install'],
        problem: 'aks-addon exists only on AKS',
        fix: 'use helm (installs csi-secrets-store-provider-azure) or existing',
        got: csiInstall,
      });
    }
    if (mode === 'aks-addon') {
      issues.push({
        path: ['identity', 'mode'],
        problem: "aks-addon is the AKS add-on's identity and exists only on AKS",
        fix: 'use workload-identity (preferred, no secret) or service-principal',
        got: mode,
      });
    }
    if (mode === 'workload-identity' && !isSet(at('cluster', 'oidcIssuer'))) {
      issues.push({
        path: ['cluster', 'oidcIssuer'],
        problem: 'is required for workload identity outside Azure',
        fix: "set the cluster's OIDC issuer URL (EKS: aws eks describe-cluster --query cluster.identity.oidc.issuer)",
      });
    }
  }

  if (mode === 'aks-addon' && csiInstall === 'helm') {
    issues.push({
      path: ['identity', 'mode'],
      problem: 'aks-addon needs the AKS add-on, but csi.install is helm',
      fix: 'set csi.install: aks-addon, or use identity.mode: workload-identity',
      got: mode,
    });
  }
  const blocks = { 'workload-identity': 'workloadIdentity', 'service-principal': 'servicePrincipal' } as const;
  for (const [blockMode, block] of Object.entries(blocks)) {
    if (mode === blockMode && !isSet(at('identity', block))) {
      issues.push({
        path: ['identity', block],
        problem: `is required when identity.mode is ${blockMode}`,
        fix:
          block === 'workloadIdentity'
            ? 'add workloadIdentity: { name, serviceAccount }'
            : 'add servicePrincipal: { clientId, clientSecretEnv }',
      });
    }
    if (typeof mode === 'string' && mode !== blockMode && isSet(at('identity', block))) {
      issues.push({
        path: ['identity', block],
        problem: `is used only when identity.mode is ${blockMode}`,
        fix: `remove it, or set identity.mode: ${blockMode}`,
      });
    }
  }

  if (at('vault', 'create') === false && isSet(at('vault', 'softDeleteRetentionDays'))) {
    issues.push({
      path: ['vault', 'softDeleteRetentionDays'],
      problem: 'can be set only when the vault is created',
      fix: 'remove it, or set vault.create: true',
    });
  }

  const sources = at('secrets', 'sources');
  if (Array.isArray(sources)) {
    sources.forEach((source, i) => {
      if (source === null || typeof source !== 'object' || Array.isArray(source)) return;
      const kinds = ['envFile', 'kubernetesSecret', 'env'].filter((k) => isSet((source as Record<string, unknown>)[k]));
      if (kinds.length !== 1) {
        issues.push({
          path: ['secrets', 'sources', i],
          problem: kinds.length === 0 ? 'names no source' : `names ${kinds.join(' and ')} in one entry`,
          fix: 'give each entry exactly one of envFile, kubernetesSecret or env',
        });
      }
    });
  }
  return issues;
}
