{{/*
Names and labels, in the style of kube-prometheus-stack.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The release's base name: fullnameOverride, else the release name when it already contains the chart name, else
"<release>-<chart>". Component objects are named "<fullname>-<component>".
*/}}
{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sluice.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "<fullname>-<component>"; call with (dict "root" $ "component" "gateway"). */}}
{{- define "sluice.componentName" -}}
{{- printf "%s-%s" (include "sluice.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries; call with (dict "root" $ "component" "gateway"). */}}
{{- define "sluice.labels" -}}
helm.sh/chart: {{ include "sluice.chart" .root }}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ include "sluice.name" .root }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The labels a component's Service, NetworkPolicy and ServiceMonitor select its pods by. */}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
What each service is and needs: its Maven module (image name), the stores it uses, whether it serves an admin API,
the configuration files it reads, the services it calls, the PostgreSQL schema it owns and the variable that turns
its start-up migration on (QUARKUS_FLYWAY_MIGRATE_AT_START unless named). Deployments, Services,
NetworkPolicies, migrations and ServiceMonitors are all derived from this one table.
*/}}
{{- define "sluice.componentTraits" -}}
gateway:
  module: gateway-service
  redis: true
  database: false
  adminApi: false
  providerKeys: false
  configs: [prices]
  calls: [orchestrator, quota, telemetry]
orchestrator:
  module: orchestrator-service
  redis: true
  database: true
  schema: memory
  # its own migrator retries while PostgreSQL is away (Quarkus' would stop the service, and chat with it)
  migrateAtStartEnv: SLUICE_MEMORY_MIGRATE_AT_START
  adminApi: true
  providerKeys: true
  configs: [catalog]
  calls: []
quota:
  module: quota-service
  redis: true
  database: true
  schema: quota
  adminApi: true
  providerKeys: false
  configs: [plans]
  calls: []
telemetry:
  module: telemetry-service
  redis: true
  database: true
  schema: telemetry
  adminApi: true
  providerKeys: false
  configs: [prices]
  calls: []
{{- end -}}

{{/* The components that call this one ((dict "root" $ "component" "quota")), as a JSON list; used with fromJsonArray. */}}
{{- define "sluice.callers" -}}
{{- $callers := list -}}
{{- range $caller, $traits := include "sluice.enabledComponents" .root | fromYaml -}}
{{- if has $.component $traits.calls }}{{ $callers = append $callers $caller }}{{ end -}}
{{- end -}}
{{- toJson $callers -}}
{{- end -}}

{{/* The components in a fixed order. */}}
{{- define "sluice.components" -}}
gateway orchestrator quota telemetry
{{- end -}}

{{/* The enabled components' traits as a dict; use with fromYaml. */}}
{{- define "sluice.enabledComponents" -}}
{{- $traits := include "sluice.componentTraits" . | fromYaml -}}
{{- range $name := splitList " " (include "sluice.components" .) }}
{{- if (index $.Values $name).enabled }}
{{ $name }}: {{ index $traits $name | toJson }}
{{- end }}
{{- end }}
{{- end -}}

{{/* A service's in-cluster base URL, e.g. http://sluice-orchestrator:8081. */}}
{{- define "sluice.componentUrl" -}}
{{- printf "http://%s:%v" (include "sluice.componentName" .) (index .root.Values .component).service.port -}}
{{- end -}}

{{/*
An image reference: (dict "root" $ "image" .Values.gateway.image). global.image.registry is prepended, the tag
defaults to global.image.tag and then to the chart's appVersion, and a digest wins over the tag.
*/}}
{{- define "sluice.image" -}}
{{- $registry := .image.registry | default .root.Values.global.image.registry -}}
{{- $repository := ternary (printf "%s/%s" $registry .image.repository) .image.repository (ne $registry "") -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (.image.tag | default .root.Values.global.image.tag | default .root.Chart.AppVersion | toString) -}}
{{- end -}}
{{- end -}}

{{- define "sluice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sluice.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sluice.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* ---- Stores -------------------------------------------------------------------------------------------- */}}

{{/* Where REDIS_URL comes from: an EnvVar body (value or valueFrom). */}}
{{- define "sluice.redisUrlEnv" -}}
{{- if .Values.redis.enabled -}}
value: {{ printf "redis://%s:%v" (include "sluice.componentName" (dict "root" . "component" "redis")) .Values.redis.port | quote }}
{{- else if .Values.externalRedis.existingSecret -}}
valueFrom:
  secretKeyRef:
    name: {{ .Values.externalRedis.existingSecret | quote }}
    key: {{ .Values.externalRedis.existingSecretKey | quote }}
{{- else -}}
value: {{ required "externalRedis.url (or externalRedis.existingSecret, or redis.enabled) is required" .Values.externalRedis.url | quote }}
{{- end -}}
{{- end -}}

{{/* The PostgreSQL connection as a dict (fromYaml): host, port, name, user, secretName, secretKey (empty: none). */}}
{{- define "sluice.database" -}}
{{- if .Values.postgresql.enabled -}}
host: {{ include "sluice.componentName" (dict "root" . "component" "postgresql") }}
port: {{ .Values.postgresql.port }}
name: {{ .Values.postgresql.auth.database }}
user: {{ .Values.postgresql.auth.username }}
secretName: {{ .Values.postgresql.auth.existingSecret | default (include "sluice.componentName" (dict "root" . "component" "postgresql")) }}
secretKey: {{ ternary .Values.postgresql.auth.existingSecretPasswordKey "password" (ne .Values.postgresql.auth.existingSecret "") }}
{{- else -}}
host: {{ required "externalDatabase.host (or postgresql.enabled) is required" .Values.externalDatabase.host }}
port: {{ .Values.externalDatabase.port }}
name: {{ .Values.externalDatabase.database }}
user: {{ .Values.externalDatabase.user }}
{{- if .Values.externalDatabase.existingSecret }}
secretName: {{ .Values.externalDatabase.existingSecret }}
secretKey: {{ .Values.externalDatabase.existingSecretPasswordKey }}
{{- else if .Values.externalDatabase.password }}
secretName: {{ include "sluice.componentName" (dict "root" . "component" "database") }}
secretKey: password
{{- else }}
secretName: ""
secretKey: ""
{{- end }}
{{- end -}}
{{- end -}}

{{/* DB_* environment of a service that owns a schema, and of the migration Job. */}}
{{- define "sluice.databaseEnv" -}}
{{- $db := include "sluice.database" . | fromYaml -}}
- name: DB_HOST
  value: {{ $db.host | quote }}
- name: DB_PORT
  value: {{ $db.port | quote }}
- name: DB_NAME
  value: {{ $db.name | quote }}
- name: DB_USER
  value: {{ $db.user | quote }}
{{- if $db.secretName }}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $db.secretName | quote }}
      key: {{ $db.secretKey | quote }}
{{- end }}
{{- end -}}

{{/* The admin token's Secret (name and key), or nothing when no token is configured. */}}
{{- define "sluice.adminTokenSecret" -}}
{{- if .Values.adminToken.existingSecret -}}
name: {{ .Values.adminToken.existingSecret }}
key: {{ .Values.adminToken.existingSecretKey }}
{{- else if .Values.adminToken.value -}}
name: {{ include "sluice.componentName" (dict "root" . "component" "admin-token") }}
key: {{ .Values.adminToken.existingSecretKey }}
{{- end -}}
{{- end -}}

{{/* ---- The service credential ---------------------------------------------------------------------------------- */}}

{{/* The Secret holding the service tokens: serviceToken.existingSecret, or the one the chart keeps. */}}
{{- define "sluice.serviceTokenSecretName" -}}
{{- .Values.serviceToken.existingSecret | default (include "sluice.componentName" (dict "root" . "component" "service-token")) -}}
{{- end -}}

{{/*
The chart's service-token Secret as the cluster holds it now, as YAML ("{}" when there is none yet, and always under
helm template or --dry-run, which reach no cluster). The chart's only lookup; the chart tests put their own live
Secret in its place.
*/}}
{{- define "sluice.liveServiceTokenSecret" -}}
{{- lookup "v1" "Secret" .Release.Namespace (include "sluice.serviceTokenSecretName" .) | toYaml -}}
{{- end -}}

{{/*
The data of the chart's service-token Secret, base64 values by key (token, previous-token, next-token), as YAML:
- serviceToken.value: that one token (throw-away clusters and renders without a cluster);
- no Secret yet (install): a random current and next token;
- the Secret of the same rotation (serviceToken.rotation unchanged): kept as it is, so an upgrade changes nothing
  (one that lacks a next token, as one made with serviceToken.value, gets one);
- a new rotation: every token moves one place (previous <- current <- next <- a new random one), so that while the
  pods roll, the token each running gateway sends is one that every running receiver accepts.
*/}}
{{- define "sluice.serviceTokenData" -}}
{{- if .Values.serviceToken.value -}}
token: {{ .Values.serviceToken.value | b64enc }}
{{- else -}}
{{- $live := include "sluice.liveServiceTokenSecret" . | fromYaml -}}
{{- $data := $live.data | default dict -}}
{{- $rotation := index (($live.metadata | default dict).annotations | default dict) "sluice.io/rotation" | default "" -}}
{{- if not $data.token -}}
token: {{ randAlphaNum 48 | b64enc }}
next-token: {{ randAlphaNum 48 | b64enc }}
{{- else if eq $rotation (.Values.serviceToken.rotation | toString) -}}
{{- toYaml $data -}}
{{- if not (index $data "next-token") }}
{{- /* a Secret that held a fixed value gets its next token now, so that its first rotation is as safe as any */}}
next-token: {{ randAlphaNum 48 | b64enc }}
{{- end -}}
{{- else -}}
previous-token: {{ $data.token }}
token: {{ index $data "next-token" | default (randAlphaNum 48 | b64enc) }}
next-token: {{ randAlphaNum 48 | b64enc }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
SLUICE_SERVICE_TOKEN* of a component: every service gets the token it sends; the services others call also accept the
previous and the next one (optional keys: absent outside a rotation, or in an existingSecret that has none).
*/}}
{{- define "sluice.serviceTokenEnv" -}}
{{- $secret := include "sluice.serviceTokenSecretName" .root -}}
- name: SLUICE_SERVICE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret | quote }}
      key: token
{{- if .receives }}
- name: SLUICE_SERVICE_PREVIOUS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret | quote }}
      key: previous-token
      optional: true
- name: SLUICE_SERVICE_NEXT_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret | quote }}
      key: next-token
      optional: true
{{- end }}
{{- end -}}

{{/* The provider keys' Secret name, or nothing. */}}
{{- define "sluice.providerKeysSecret" -}}
{{- if .Values.providerKeys.existingSecret -}}
{{- .Values.providerKeys.existingSecret -}}
{{- else if .Values.providerKeys.values -}}
{{- include "sluice.componentName" (dict "root" . "component" "provider-keys") -}}
{{- end -}}
{{- end -}}

{{/* Whether the migration runs as a Helm hook Job (true) or in each service at start-up. */}}
{{- define "sluice.migrateInHook" -}}
{{- if eq .Values.migrations.mode "hook" -}}
{{- if .Values.postgresql.enabled -}}
{{- fail "migrations.mode=hook needs a database that exists before the release (externalDatabase): the in-chart PostgreSQL starts after pre-install hooks; use migrations.mode=startup with postgresql.enabled" -}}
{{- end -}}
true
{{- end -}}
{{- end -}}

{{/* ---- Configuration files -------------------------------------------------------------------------------- */}}

{{/*
Flattens a values tree into Quarkus properties: (dict "prefix" "sluice.catalog" "value" .Values.catalog).
Maps nest with ".", lists of maps are indexed ("deployments[0].name"), lists of scalars are comma-joined, and
whole numbers print without an exponent (YAML numbers reach templates as float64).
*/}}
{{- define "sluice.properties" -}}
{{- $prefix := .prefix -}}
{{- range $key, $value := .value }}
{{- $name := printf "%s.%s" $prefix (include "sluice.propertyKey" $key) }}
{{- if kindIs "map" $value }}
{{- include "sluice.properties" (dict "prefix" $name "value" $value) }}
{{- else if kindIs "slice" $value }}
{{- if and $value (kindIs "map" (first $value)) }}
{{- range $index, $element := $value }}
{{- include "sluice.properties" (dict "prefix" (printf "%s[%d]" $name $index) "value" $element) }}
{{- end }}
{{- else }}
{{ $name }}={{ include "sluice.propertyValues" $value }}
{{- end }}
{{- else }}
{{ $name }}={{ include "sluice.propertyValue" $value }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
One segment of a property name. A map key that is more than letters, digits, "-" and "_" (a model named "gpt-4.1" or
"llama3:8b") is quoted, as SmallRye Config reads a segment with dots, and ":", "=" and blanks are escaped, as a
properties file would otherwise end the name there. Unquoted, sluice.prices.models.gpt-4.1.input-per-million would
be read as another path and the price silently ignored.
*/}}
{{- define "sluice.propertyKey" -}}
{{- $key := toString . -}}
{{- if regexMatch "^[A-Za-z0-9_-]+$" $key -}}
{{- $key -}}
{{- else if contains "\"" $key -}}
{{- fail (printf "a key of catalog, plans or prices may not contain a double quote: %s" $key) -}}
{{- else -}}
{{- printf "\"%s\"" ($key | replace "\\" "\\\\" | replace ":" "\\:" | replace "=" "\\=" | replace " " "\\ ") -}}
{{- end -}}
{{- end -}}

{{- define "sluice.propertyValue" -}}
{{- if and (kindIs "float64" .) (eq (floor .) .) -}}
{{- int64 . -}}
{{- else -}}
{{- . -}}
{{- end -}}
{{- end -}}

{{- define "sluice.propertyValues" -}}
{{- $values := list -}}
{{- range . }}{{ $values = append $values (include "sluice.propertyValue" .) }}{{ end -}}
{{- join "," $values -}}
{{- end -}}

{{/* The pod security context and container security context of a component: the shared one with its overrides. */}}
{{- define "sluice.podSecurityContext" -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.podSecurityContext) (deepCopy (.values.podSecurityContext | default dict))) -}}
{{- end -}}

{{- define "sluice.securityContext" -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.securityContext) (deepCopy (.values.securityContext | default dict))) -}}
{{- end -}}
