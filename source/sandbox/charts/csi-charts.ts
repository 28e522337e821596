/**
 * The two CSI charts the sandbox's Helm repository serves, generated from the same object
 * builder the world and the AKS add-on manager use (cluster/csi-objects.ts), so a chart
 * installed by the real helm creates exactly the objects a preinstalled driver has:
 * - `secrets-store-csi-driver` 1.5.6: values `syncSecret.enabled`, `enableSecretRotation`,
 *   `rotationPollInterval` at the top level, as in kubernetes-sigs' chart;
 * - `csi-secrets-store-provider-azure` 1.8.2: the provider DaemonSet, with the driver chart as
 *   the subchart `secrets-store-csi-driver` (condition `secrets-store-csi-driver.install`), so
 *   the driver's values sit under `secrets-store-csi-driver.` as in Azure's chart.
 */
import { stringify } from 'yaml';
import { csiObjects, type CsiInstall } from '../cluster/csi-objects.js';
import type { KubeObject } from '../k8s/types.js';

export const DRIVER_CHART = { name: 'secrets-store-csi-driver', version: '1.5.6', appVersion: '1.5.6' };
export const PROVIDER_CHART = { name: 'csi-secrets-store-provider-azure', version: '1.8.2', appVersion: '1.8.2' };

const RELEASE = 'placeholder-release';
const NAMESPACE = 'placeholder-namespace';
const POLL = 'placeholder-poll';

function helpers(prefix: string): string {
  return [
    `{{- define "${prefix}.name" -}}{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}{{- end -}}`,
    `{{- define "${prefix}.fullname" -}}{{- $name := default .Chart.Name .Values.nameOverride -}}{{- if contains $name .Release.Name -}}{{- .Release.Name | trunc 63 | trimSuffix "-" -}}{{- else -}}{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}{{- end -}}{{- end -}}`,
    '',
  ].join('\n');
}

/** Replaces the builder's placeholders with the template expressions the real charts use. */
function template(objects: KubeObject[], prefix: string, chart: string): string {
  return objects
    .map((object) => `---\n${stringify(object, { lineWidth: 0 })}`)
    .join('')
    .replaceAll(`${RELEASE}-${chart}`, `{{ include "${prefix}.fullname" . }}`)
    .replaceAll(RELEASE, '{{ .Release.Name }}')
    .replaceAll(NAMESPACE, '{{ .Release.Namespace }}')
    .replaceAll(POLL, '{{ .Values.rotationPollInterval }}');
}

function install(installer: CsiInstall['installer'], syncSecret: boolean, rotation: boolean): CsiInstall {
  return { namespace: NAMESPACE, installer, release: RELEASE, syncSecret, rotation, rotationPollInterval: POLL, driverChartVersion: DRIVER_CHART.version, providerChartVersion: PROVIDER_CHART.version };
}

const isDriverObject = (object: KubeObject) => object.metadata.labels?.['app.kubernetes.io/name'] === DRIVER_CHART.name;
const isSyncRole = (object: KubeObject) => object.metadata.name.includes('secretprovidersyncing');

function driverTemplates(): Record<string, string> {
  const plain = csiObjects(install('driver-chart', false, false));
  const synced = csiObjects(install('driver-chart', true, false)).filter(isSyncRole);
  const rotating = csiObjects(install('driver-chart', false, true)).filter((o) => o.kind === 'DaemonSet');
  return {
    'templates/_helpers.tpl': helpers('sscd'),
    'templates/driver.yaml': template(plain.filter((o) => o.kind !== 'DaemonSet'), 'sscd', DRIVER_CHART.name),
    'templates/secrets-store-csi-driver.yaml':
      `{{- if .Values.enableSecretRotation }}\n${template(rotating, 'sscd', DRIVER_CHART.name)}{{- else }}\n${template(plain.filter((o) => o.kind === 'DaemonSet'), 'sscd', DRIVER_CHART.name)}{{- end }}\n`,
    'templates/role-syncsecret.yaml': `{{- if .Values.syncSecret.enabled }}\n${template(synced, 'sscd', DRIVER_CHART.name)}{{- end }}\n`,
  };
}

function chartYaml(meta: { name: string; version: string; appVersion: string }, extra: Record<string, unknown> = {}): string {
  return stringify({ apiVersion: 'v2', name: meta.name, version: meta.version, appVersion: meta.appVersion, ...extra });
}

export function chartFiles(): Record<string, Record<string, string>> {
  const driverValues = { nameOverride: '', syncSecret: { enabled: false }, enableSecretRotation: false, rotationPollInterval: '2m' };
  const driver: Record<string, string> = {
    'Chart.yaml': chartYaml(DRIVER_CHART, { description: 'A Helm chart to install the SecretsStore CSI Driver inside a Kubernetes cluster.' }),
    'values.yaml': stringify(driverValues),
    ...driverTemplates(),
  };
  const provider = csiObjects(install('provider-chart', false, false)).filter((object) => !isDriverObject(object));
  const providerChart: Record<string, string> = {
    'Chart.yaml': chartYaml(PROVIDER_CHART, {
      description: 'A Helm chart to install the Secrets Store CSI Driver and the Azure Keyvault Provider inside a Kubernetes cluster.',
      dependencies: [{ name: DRIVER_CHART.name, version: DRIVER_CHART.version, repository: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts', condition: 'secrets-store-csi-driver.install' }],
    }),
    'values.yaml': stringify({ nameOverride: '', 'secrets-store-csi-driver': { install: true, ...driverValues } }),
    'templates/_helpers.tpl': helpers('sscdpa'),
    'templates/provider-azure-installer.yaml': template(provider, 'sscdpa', PROVIDER_CHART.name),
    ...Object.fromEntries(Object.entries(driver).map(([file, text]) => [`charts/${DRIVER_CHART.name}/${file}`, text])),
  };
  return { [DRIVER_CHART.name]: driver, [PROVIDER_CHART.name]: providerChart };
}
