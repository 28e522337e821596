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
