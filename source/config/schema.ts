/**
 * The one configuration schema: presets and the wizard's answers both go through
 * it, and presets/schema.json is generated from it (scripts/generate-schema.ts). Every object
 * is strict, so a misspelt key is an error instead of a silently ignored setting.
 *
 * Rules that span fields (target azure needs a private endpoint, ...) live in cross-field.ts,
 * because zod skips refinements once a field has a type error and a preset's report must list
 * every problem at once.
 */
import * as z from 'zod';
import { allowedIpListProblems, allowedIpProblem } from './allowed-ips.js';
import { vaultNameProblems } from '../domain/vault-name.js';
import { POD_NAME } from '../domain/pod-name.js';

const k8sName = (what: string, max: number) =>
  z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
      `must be a Kubernetes ${what}: lower-case letters, digits and -, starting and ending with a letter or digit`,
    )
    .max(max);

const azureName = z
  .string()
  .min(1)
  .max(90)
  .regex(/^[-\w.()]*[-\w()]$/, 'must be letters, digits, -, _, ., ( or ), not ending in .');

const envVarName = z
  .string()
  .regex(POD_NAME, 'must be an environment variable name (A-Z, a-z, 0-9 and _, not starting with a digit)');

// One issue naming every broken rule, so the report has one line (and one fix) per field.
const vaultName = z
  .string()
  .superRefine((name, ctx) => {
    const problems = vaultNameProblems(name);
    if (problems.length > 0) ctx.addIssue({ code: 'custom', message: problems.join('; ') });
  })
  // For editors only (JSON Schema); the refinement above is what the code enforces.
  .meta({ minLength: 3, maxLength: 24, pattern: '^[a-zA-Z](?!.*--)[0-9a-zA-Z-]*[0-9a-zA-Z]$' });

const ipv4Cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR like 10.20.1.0/24');

const allowedIp = z
  .string()
  .superRefine((entry, ctx) => {
    const problem = allowedIpProblem(entry);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ pattern: '^\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?$' });

const allowedIps = z
  .array(allowedIp)
  .superRefine((entries, ctx) => {
    for (const problem of allowedIpListProblems(entries)) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('target other-cloud: the cluster egress IPs, public IPv4 addresses or CIDRs (at most 1000)');

// Go duration subset the CSI driver's rotation-poll-interval takes: 2m, 30s, 1h30m.
const duration = z.string().regex(/^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/, 'must be a duration like 2m, 30s or 1h30m');

// A five-field cron line as a CronJob's schedule takes it (or a @daily-style macro).
const cronSchedule = z
  .string()
  .regex(
    /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\S+( \S+){4})$/,
    'must be a cron schedule with five fields, like "*/5 * * * *"',
  );

const secretSource = z
  .strictObject({
    envFile: z
      .string()
      .min(1)
      .optional()
      .describe('a .env file; a relative path is resolved against the preset folder'),
    kubernetesSecret: z
      .strictObject({ namespace: k8sName('namespace', 63), name: k8sName('Secret name', 253) })
      .optional(),
    env: z.array(z.string()).min(1).optional().describe('names of environment variables set when the tool runs'),
  })
  .describe('exactly one of envFile, kubernetesSecret or env');

/** The Azure provider's public chart repository and the chart version a new install pins. */
export const CSI_CHART_REPO = 'https://azure.github.io/secrets-store-csi-driver-provider-azure/charts';
export const CSI_CHART_VERSION = '1.8.2';

export const configSchema = z.strictObject({
  version: z.literal(1).describe('preset format version'),
  target: z
    .enum(['azure', 'other-cloud'])
    .describe('azure: AKS + private endpoint; other-cloud: public endpoint with an IP allowlist'),
  azure: z.strictObject({
    subscriptionId: z.guid(),
    resourceGroup: azureName,
    location: z.string().regex(/^[a-z0-9]+$/, 'must be an Azure region name like eastus'),
    tenantId: z.guid().optional().describe('default: the tenant of the signed-in account'),
  }),
  vault: z.strictObject({
    name: vaultName.describe('3-24 characters, letter first, letter or digit last, no --; global in Azure'),
    create: z.boolean().default(true).describe('false: the vault must already exist'),
    recover: z.boolean().optional().describe('recover a soft-deleted vault of this name instead of creating one'),
    permissionModel: z.enum(['rbac', 'access-policy']).default('rbac'),
    purgeProtection: z.boolean().default(true).describe('irreversible once on'),
    softDeleteRetentionDays: z
      .number()
      .int()
      .min(7)
      .max(90)
      .optional()
      .describe('7-90, set only at creation (Azure default 90)'),
    resourceGroup: azureName
      .optional()
      .describe(
        "the vault's resource group, when not azure.resourceGroup (a soft-deleted vault is recovered only into its own)",
      ),
  }),
  network: z
    .strictObject({
      privateEndpoint: z
        .strictObject({
          vnet: z
            .union([
              azureName,
              z
                .string()
                .regex(
                  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i,
                  'must be a VNet name or its full resource ID',
                ),
            ])
            .describe(
              'VNet name in azure.resourceGroup (or privateEndpoint.resourceGroup), or its full resource ID (any subscription)',
            ),
          subnet: azureName,
          addressPrefix: ipv4Cidr.optional().describe('used when the subnet has to be created'),
          resourceGroup: azureName.optional().describe('resource group of the VNet, if not azure.resourceGroup'),
          dnsZone: z
            .union([
              z.literal('create'),
              z
                .string()
                .regex(
                  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.vaultcore\.azure\.net$/i,
                  'must be the resource ID of a privatelink.vaultcore.azure.net zone',
                ),
            ])
            .optional()
            .describe(
              'create (a zone in azure.resourceGroup), or the resource ID of an existing privatelink.vaultcore.azure.net zone in any subscription; default: the zone the AKS VNet is already linked to, else create',
            ),
        })
        .optional()
        .describe('target azure'),
      allowedIps: allowedIps.optional(),
      bypass: z
        .enum(['AzureServices', 'None'])
        .default('AzureServices')
        .describe('let trusted Azure services through the firewall'),
      keepExistingIpRules: z
        .boolean()
        .default(true)
        .describe('keep ipRules already on the vault that are not listed here'),
      lockDownExistingVault: z
        .boolean()
        .optional()
        .describe(
          'confirm turning off public access (azure) or denying all but the allowlist (other-cloud) on a vault that existed before the run and may serve others',
        ),
    })
    .prefault({}),
  cluster: z.strictObject({
    kubeContext: z.string().min(1).describe('kube context; --kube-context overrides it'),
    aks: z.strictObject({ resourceGroup: azureName, name: azureName }).optional().describe('target azure'),
    oidcIssuer: z
      .url({ protocol: /^https$/ })
      .optional()
      .describe('OIDC issuer URL of a cluster outside Azure (workload identity)'),
  }),
  csi: z.strictObject({
    install: z.enum(['aks-addon', 'helm', 'existing']).describe('aks-addon (azure), helm (other-cloud) or existing'),
    chartRepo: z
      .url({ protocol: /^https?$/ })
      .default(CSI_CHART_REPO)
      .describe(
        "Helm repository of the csi-secrets-store-provider-azure chart (a mirror works); default the provider's public one",
      ),
    chartVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'must be a chart version like 1.8.2')
      .default(CSI_CHART_VERSION)
      .describe('the csi-secrets-store-provider-azure chart version a new install pins'),
    rotation: z.strictObject({ enabled: z.boolean().default(true), pollInterval: duration.default('2m') }).prefault({}),
  }),
  identity: z.strictObject({
    mode: z.enum(['aks-addon', 'workload-identity', 'service-principal']),
    workloadIdentity: z
      .strictObject({
        name: azureName.describe('user-assigned managed identity to create or reuse'),
        serviceAccount: k8sName('ServiceAccount name', 253),
        namespace: k8sName('namespace', 63).optional().describe('default: feathr.namespace'),
        resourceGroup: azureName.optional().describe('default: azure.resourceGroup'),
      })
      .optional(),
    servicePrincipal: z
      .strictObject({
        clientId: z.guid(),
        objectId: z.guid().optional(),
        clientSecretEnv: envVarName.describe(
          'the environment variable holding the client secret; never the secret itself',
        ),
      })
      .optional(),
  }),
  secrets: z.strictObject({
    sources: z.array(secretSource).min(1),
    rename: z.record(z.string(), z.string()).default({}).describe('env name -> Key Vault name overrides'),
    precedence: z
      .enum(['error-on-conflict', 'later-wins'])
      .default('error-on-conflict')
      .describe('when two sources hold the same name'),
    temporaryFirewallRule: z
      .boolean()
      .default(false)
      .describe(
        "when the vault firewall keeps you out: let your own address through while the secrets are written over the data plane (faster than ARM's 10 writes a second for many secrets), and remove the rule afterwards",
      ),
  }),
  feathr: z
    .strictObject({
      namespace: k8sName('namespace', 63).default('feathr'),
      release: k8sName('Helm release name', 53).default('feathr-online'),
      chart: z.string().min(1).optional().describe('default: the chart shipped in charts/feathr-online'),
      image: z.string().min(1).optional(),
      values: z.record(z.string(), z.unknown()).optional().describe('extra Helm values; never secret values'),
      pipelineConf: z
        .string()
        .min(1)
        .optional()
        .describe(
          "Feathr's pipeline.conf, handed to the chart with --set-file pipeline.conf; a relative path is resolved against the preset folder",
        ),
      lookupJson: z
        .string()
        .min(1)
        .optional()
        .describe(
          "Feathr's lookup.json, handed to the chart with --set-file pipeline.lookup; a relative path is resolved against the preset folder",
        ),
      monitor: z
        .strictObject({
          enabled: z.boolean().default(true),
          schedule: cronSchedule.default('*/5 * * * *'),
        })
        .optional()
        .describe(
          "a CronJob in the release that runs check's in-cluster probe on schedule and records results, Events and alerts; absent means off",
        ),
    })
    .prefault({}),
  probe: z
    .strictObject({ image: z.string().min(1) })
    .optional()
    .describe('image of the in-cluster check pod'),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
