import { describe, expect, it } from 'vitest';
import {
  diagnoseDnsAnswer,
  diagnoseText,
  failedMountCause,
  type DiagnosisContext,
} from '../../source/checks/diagnose.js';

const ctx: DiagnosisContext = {
  vaultName: 'feathr-kv',
  target: 'azure',
  resourceGroup: 'feathr-rg',
  vaultId: '/subscriptions/s/resourceGroups/feathr-rg/providers/Microsoft.KeyVault/vaults/feathr-kv',
  aks: { resourceGroup: 'feathr-rg', name: 'feathr-aks' },
  aksVnet: {
    name: 'aks-vnet',
    id: '/subscriptions/s/resourceGroups/feathr-rg/providers/Microsoft.Network/virtualNetworks/aks-vnet',
    resourceGroup: 'feathr-rg',
  },
  endpointVnet: { name: 'shared-vnet', resourceGroup: 'feathr-rg' },
  privateEndpointIp: '10.20.1.4',
  ipRules: ['52.14.20.1/32', '52.14.20.2'],
  identityClientId: '11111111-2222-3333-4444-555555555555',
  expectedClientId: '99999999-2222-3333-4444-555555555555',
  identityPrincipalId: 'aaaaaaaa-0000-0000-0000-000000000001',
  namespace: 'feathr',
  release: 'feathr-online',
  csiInstall: 'helm',
};

/** The common FailedMount prefix, wrapped around each provider cause. */
const failedMount = (object: string, cause: string) =>
  `MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod feathr/feathr-online-7d9c-abcde, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:${object}, objectVersion:: ${cause}`;

// Given a real failure text, when diagnosed, then the code, the cause and the fix name it.
const cases: {
  name: string;
  text: string;
  code: string;
  cause: RegExp;
  fix: RegExp;
  facts?: Record<string, string>;
}[] = [
  {
    name: 'FailedMount with SecretNotFound (azsecrets format)',
    text: failedMount(
      'CONN-STR',
      'GET https://feathr-kv.vault.azure.net/secrets/CONN-STR/\n--------\nRESPONSE 404: 404 Not Found\nERROR CODE: SecretNotFound',
    ),
    code: 'secret-not-found',
    cause: /^Secret CONN-STR doesn't exist in vault feathr-kv/,
    fix: /az keyvault secret set --vault-name feathr-kv --name CONN-STR --file/,
    facts: { secret: 'CONN-STR' },
  },
  {
    name: 'SecretNotFound in the older autorest format, no FailedMount prefix',
    text: 'keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=404 -- Original Error: autorest/azure: Service returned an error. Status=404 Code="SecretNotFound" Message="A secret with (name/id) COSMOS-API-KEY was not found in this key vault."',
    code: 'secret-not-found',
    cause: /Secret COSMOS-API-KEY doesn't exist/,
    fix: /--name COSMOS-API-KEY/,
  },
  {
    name: 'ForbiddenByFirewall with a Client address outside ipRules',
    text: failedMount(
      'CONN-STR',
      'Status=403 Code="Forbidden" Message="Client address is not authorized and caller is not a trusted service.\\r\\nClient address: 52.14.20.9\\r\\nCaller: appid=abc;oid=def\\r\\nVault: feathr-kv;location=eastus" InnerError={"code":"ForbiddenByFirewall"}',
    ),
    code: 'firewall-blocks-egress',
    cause: /egress address 52\.14\.20\.9, which isn't in its ipRules \(52\.14\.20\.1, 52\.14\.20\.2\)/,
    fix: /^az keyvault network-rule add --name feathr-kv --resource-group feathr-rg --ip-address 52\.14\.20\.9$/,
    facts: { clientAddress: '52.14.20.9' },
  },
  {
    name: 'ForbiddenByFirewall although the address is allowed (rule not in effect yet)',
    text: '{"error":{"code":"Forbidden","message":"Client address is not authorized and caller is not a trusted service.\r\nClient address: 52.14.20.2\r\nCaller: appid=x\r\nVault: feathr-kv;location=eastus","innererror":{"code":"ForbiddenByFirewall"}}}',
    code: 'firewall-blocks-egress',
    cause: /refuses 52\.14\.20\.2 although ipRules hold 52\.14\.20\.2/,
    fix: /network-rule add/,
  },
  {
    name: 'ForbiddenByConnection (public access disabled, not via the endpoint)',
    text: failedMount(
      'CONN-STR',
      'Status=403 Code="Forbidden" Message="Public network access is disabled and request is not from a trusted service nor via an approved private link." InnerError={"code":"ForbiddenByConnection"}',
    ),
    code: 'public-access-disabled',
    cause: /public network access is disabled and the request doesn't come through the private endpoint/,
    fix: /^Link privatelink\.vaultcore\.azure\.net to VNet aks-vnet: az network private-dns link vnet create .*--virtual-network \/subscriptions\/s\/.*\/aks-vnet/,
  },
  {
    name: 'ForbiddenByRbac',
    text: failedMount(
      'CONN-STR',
      'RESPONSE 403: 403 Forbidden\nERROR CODE: Forbidden\n{"error":{"code":"Forbidden","message":"Caller is not authorized to perform action on resource.\\r\\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.","innererror":{"code":"ForbiddenByRbac"}}}',
    ),
    code: 'rbac-denied',
    cause: /isn't allowed to read secrets in vault feathr-kv/,
    fix: /az role assignment create --role "Key Vault Secrets User" --assignee-object-id aaaaaaaa-0000-0000-0000-000000000001 .*--scope \/subscriptions\/s\/resourceGroups\/feathr-rg\/providers\/Microsoft.KeyVault\/vaults\/feathr-kv/,
  },
  {
    name: 'wrong managed identity: Identity not found from IMDS',
    text: failedMount(
      'CONN-STR',
      'StatusCode=400 -- Original Error: adal: Refresh request failed. Status Code = \'400\'. Response body: {"error":"invalid_request","error_description":"Identity not found"} Endpoint http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01',
    ),
    code: 'identity-not-found',
    cause:
      /identity the SecretProviderClass names \(11111111-2222-3333-4444-555555555555\) isn't attached to the nodes/,
    fix: /keyVault\.identity\.clientId=99999999-2222-3333-4444-555555555555/,
  },
  {
    name: 'AADSTS7000215: bad service-principal secret',
    text: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'abc'.",
    code: 'sp-secret-invalid',
    cause: /rejects the service principal's client secret \(AADSTS7000215\)/,
    fix: /--from-file clientsecret=\.\/client-secret\.txt/,
  },
  {
    name: 'AADSTS70021: federated credential mismatch',
    text: "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://oidc.sandbox.test/feathr-eks'. Assertion Subject: 'system:serviceaccount:feathr:feathr-online'. Assertion Audience: 'api://AzureADTokenExchange'.",
    code: 'federation-mismatch',
    cause:
      /no federated credential for issuer https:\/\/oidc\.sandbox\.test\/feathr-eks and subject system:serviceaccount:feathr:feathr-online/,
    fix: /--issuer https:\/\/oidc\.sandbox\.test\/feathr-eks --subject system:serviceaccount:feathr:feathr-online/,
    facts: { issuer: 'https://oidc.sandbox.test/feathr-eks', subject: 'system:serviceaccount:feathr:feathr-online' },
  },
  {
    name: 'CSI driver not registered on the node',
    text: 'MountVolume.MountDevice failed for volume "secrets-store" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name secrets-store.csi.k8s.io not found in the list of registered CSI drivers',
    code: 'csi-driver-not-registered',
    cause: /CSI driver isn't registered on the node/,
    fix: /^az aks enable-addons --addons azure-keyvault-secrets-provider --resource-group feathr-rg --name feathr-aks$/,
  },
  {
    name: 'sync RBAC missing (driver log)',
    text: 'E1126 "failed to create Kubernetes secret" err="secrets is forbidden: User \\"system:serviceaccount:kube-system:secrets-store-csi-driver\\" cannot create resource \\"secrets\\" in API group \\"\\" in the namespace \\"feathr\\""',
    code: 'sync-rbac-missing',
    cause: /can't create the synced Kubernetes Secret/,
    fix: /helm upgrade csi .* --reuse-values --set secrets-store-csi-driver\.syncSecret\.enabled=true/,
  },
  {
    name: 'missing nodePublishSecretRef Secret',
    text: 'fetching NodePublishSecretRef feathr/secrets-store-creds failed: kubernetes.io/csi: failed to find the secret secrets-store-creds in the namespace feathr with error: secrets "secrets-store-creds" not found',
    code: 'node-publish-secret-missing',
    cause: /Secret secrets-store-creds doesn't exist in namespace feathr/,
    fix: /kubectl create secret generic secrets-store-creds --namespace feathr .*secrets-store\.csi\.k8s\.io\/used=true/,
  },
  {
    name: 'egress blocked: context deadline exceeded',
    text: failedMount(
      'CONN-STR',
      'keyvault.BaseClient#GetSecret: Failure sending request: StatusCode=0 -- Original Error: context deadline exceeded',
    ),
    code: 'vault-unreachable',
    cause: /can't open a connection to vault feathr-kv on port 443/,
    fix: /Peer aks-vnet and shared-vnet in both directions/,
  },
  {
    name: 'SecretProviderClass without tenant',
    text: 'failed to mount secrets store objects for pod feathr/x, err: rpc error: code = Unknown desc = tenantId is not provided',
    code: 'spc-invalid',
    cause: /SecretProviderClass is incomplete: tenantId is not provided/,
    fix: /helm upgrade --install feathr-online charts\/feathr-online/,
  },
];

describe('diagnoseText', () => {
  it.each(cases)('$name', ({ text, code, cause, fix, facts }) => {
    const diagnosis = diagnoseText(text, ctx);
    expect(diagnosis?.code).toBe(code);
    expect(diagnosis?.cause).toMatch(cause);
    expect(diagnosis?.fix).toMatch(fix);
    if (facts) expect(diagnosis?.facts).toEqual(facts);
  });

  it('returns nothing for a text it does not know', () => {
    expect(diagnoseText('Back-off pulling image "feathrfeaturestore/feathrpiper"', ctx)).toBeUndefined();
  });

  it('gives the helm fix for the driver outside AKS, and the access-policy fix for such vaults', () => {
    const other: DiagnosisContext = {
      vaultName: 'feathr-kv',
      target: 'other-cloud',
      permissionModel: 'access-policy',
      identityPrincipalId: 'p1',
    };
    expect(
      diagnoseText('driver name secrets-store.csi.k8s.io not found in the list of registered CSI drivers', other)?.fix,
    ).toMatch(/^helm repo add csi-secrets-store-provider-azure/);
    expect(diagnoseText('ForbiddenByRbac', other)?.fix).toBe(
      'az keyvault set-policy --name feathr-kv --secret-permissions get --object-id p1',
    );
  });

  it('strips the gRPC prefix from a FailedMount text', () => {
    expect(failedMountCause(failedMount('A-B', 'boom: it failed'))).toBe('boom: it failed');
  });
});

describe('diagnoseDnsAnswer', () => {
  it('names the public answer and the zone link that fixes it', () => {
    const diagnosis = diagnoseDnsAnswer(['20.38.1.4'], ctx);
    expect(diagnosis?.code).toBe('dns-public-answer');
    expect(diagnosis?.cause).toBe(
      "Can't reach vault feathr-kv from the cluster: it resolves to 20.38.1.4, a public address.",
    );
    expect(diagnosis?.fix).toMatch(/^Link privatelink\.vaultcore\.azure\.net to VNet aks-vnet: /);
  });

  it('flags a private answer that is not the endpoint address', () => {
    const diagnosis = diagnoseDnsAnswer(['10.20.1.9'], ctx);
    expect(diagnosis?.code).toBe('dns-wrong-private-answer');
    expect(diagnosis?.fix).toMatch(/--record-set-name feathr-kv --ipv4-address 10\.20\.1\.4/);
  });

  it('accepts the endpoint address on azure, and a public answer on another cloud', () => {
    expect(diagnoseDnsAnswer(['10.20.1.4'], ctx)).toBeUndefined();
    expect(diagnoseDnsAnswer(['20.38.1.4'], { ...ctx, target: 'other-cloud' })).toBeUndefined();
  });

  it('reports no answer at all', () => {
    expect(diagnoseDnsAnswer([], ctx, 'NXDOMAIN')?.cause).toBe(
      "Can't resolve feathr-kv.vault.azure.net from the cluster (NXDOMAIN).",
    );
  });
});
