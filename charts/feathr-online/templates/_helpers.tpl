{{/* Names are capped at 63 characters, the limit for labels and most object names. */}}
{{- define "feathr-online.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "feathr-online.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "feathr-online.selectorLabels" -}}
app.kubernetes.io/name: {{ include "feathr-online.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Every object carries these, plus commonLabels (uninstall finds what was made by them). */}}
{{- define "feathr-online.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "feathr-online.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: feathr
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "feathr-online.serviceAccountName" -}}
{{- default (include "feathr-online.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "feathr-online.spcName" -}}
{{- default (printf "%s-kv" (include "feathr-online.fullname" .)) .Values.keyVault.secretProviderClassName -}}
{{- end -}}

{{- define "feathr-online.syncedSecretName" -}}
{{- default (printf "%s-secrets" (include "feathr-online.fullname" .)) .Values.keyVault.syncedSecretName -}}
{{- end -}}

{{/* The CSI volume, shared by the Deployment and the helm test pod. */}}
{{- define "feathr-online.csiVolume" -}}
- name: secrets-store
  csi:
    driver: secrets-store.csi.k8s.io
    readOnly: true
    volumeAttributes:
      secretProviderClass: {{ include "feathr-online.spcName" . }}
    {{- if eq .Values.keyVault.identity.mode "servicePrincipal" }}
    nodePublishSecretRef:
      name: {{ .Values.keyVault.identity.nodePublishSecretRef }}
    {{- end }}
{{- end -}}

{{- define "feathr-online.expectedAliases" -}}
{{- $names := list -}}
{{- range .Values.keyVault.secrets }}{{ $names = append $names .env }}{{ end -}}
{{- join " " $names -}}
{{- end -}}

{{/* The monitor's objects are named after the release; 41 + "-kv-monitor" stays within the
     52 characters a CronJob name may have (its Jobs add an 11-character suffix). */}}
{{- define "feathr-online.monitorName" -}}
{{- printf "%s-kv-monitor" (.Release.Name | trunc 41 | trimSuffix "-") -}}
{{- end -}}

{{/* The monitor's pods must not carry the Deployment's selector labels, or the Service would
     count them as Feathr pods. */}}
{{- define "feathr-online.monitorPodLabels" -}}
app.kubernetes.io/name: {{ include "feathr-online.name" . }}-kv-monitor
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: kv-monitor
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: feathr
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The CSI driver's Go duration ("2m", "1h30m") in seconds; empty when rotation is off. */}}
{{- define "feathr-online.rotationPollSeconds" -}}
{{- with .Values.monitor.rotationPollInterval -}}
{{- $h := regexFind "[0-9]+h" . | trimSuffix "h" | default "0" | atoi -}}
{{- $m := regexFind "[0-9]+m" . | trimSuffix "m" | default "0" | atoi -}}
{{- $s := regexFind "[0-9]+s" . | trimSuffix "s" | default "0" | atoi -}}
{{- add (mul $h 3600) (mul $m 60) $s -}}
{{- end -}}
{{- end -}}

{{/* The vault's host name in the cloud the SecretProviderClass names. */}}
{{- define "feathr-online.vaultHost" -}}
{{- $suffix := get (dict "AzureChinaCloud" "vault.azure.cn" "AzureUSGovernmentCloud" "vault.usgovcloudapi.net") (.Values.keyVault.cloudName | default "") | default "vault.azure.net" -}}
{{- printf "%s.%s" .Values.keyVault.name $suffix -}}
{{- end -}}
