{{/*
Names, labels and the one pod template every Pinion service shares. A service's files under
templates/<service>/ only name the component; everything else is decided here from the component
table below and the service's values.
*/}}

{{- define "pinion.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pinion.fullname" -}}
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

{{/* "<fullname>-<component>"; args: (dict "root" $ "component" "gateway") */}}
{{- define "pinion.componentName" -}}
{{- printf "%s-%s" (include "pinion.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pinion.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pinion.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Selects every pod of this release (NetworkPolicy peers). */}}
{{- define "pinion.releaseSelector" -}}
app.kubernetes.io/name: {{ include "pinion.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pinion.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "pinion.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: pinion
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "pinion.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pinion.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The services: their values key, whether they use the blockstore (Kubo) and tokens ("verify": the
public keys; "sign": the dashboard, which issues tokens, also gets the private key), whether they
read the browser session cookie ("session": the same SESSION_SECRET everywhere, or a session made
by the dashboard is rejected), whether they ask Kubo for its addresses only ("kuboRpc": the
Pinning API's delegates, no blockstore), whether they answer with PIN_DELEGATES ("delegates"), and
the path prefix the Ingress routes to them ("" = not public).
*/}}
{{- define "pinion.components" -}}
pinning-api: { key: pinningApi, blockstore: false, kuboRpc: true, delegates: true, auth: verify, session: false, path: /pinning }
upload: { key: upload, blockstore: true, kuboRpc: true, delegates: true, auth: verify, session: true, path: /upload }
gateway: { key: gateway, blockstore: true, kuboRpc: true, delegates: false, auth: verify, session: true, path: /gateway }
github-bot: { key: githubBot, blockstore: true, kuboRpc: true, delegates: true, auth: verify, session: false, path: /github }
prover: { key: prover, blockstore: true, kuboRpc: true, delegates: false, auth: verify, session: true, path: /prover }
worker: { key: worker, blockstore: true, kuboRpc: true, delegates: false, auth: none, session: false, path: "" }
dashboard: { key: dashboard, blockstore: false, kuboRpc: false, delegates: false, auth: sign, session: true, path: / }
{{- end -}}

{{/* The component table entry plus the service's values; args: (dict "root" $ "component" "x"). */}}
{{- define "pinion.component" -}}
{{- $entry := index (fromYaml (include "pinion.components" .root)) .component -}}
{{- toYaml (merge (dict "values" (index .root.Values $entry.key)) $entry) -}}
{{- end -}}

{{- define "pinion.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{/* A Pinion image: args (dict "root" $ "component" "gateway" "override" "") */}}
{{- define "pinion.image" -}}
{{- if .override -}}
{{- .override -}}
{{- else -}}
{{- printf "%s-%s:%s" .root.Values.image.repository .component (include "pinion.imageTag" .root) -}}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- URLs of the infrastructure */}}

{{- define "pinion.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl -}}
{{- else -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{- define "pinion.trustProxyHops" -}}
{{- if kindIs "invalid" .Values.trustProxyHops -}}
{{- ternary 1 0 .Values.ingress.enabled -}}
{{- else -}}
{{- .Values.trustProxyHops -}}
{{- end -}}
{{- end -}}

{{- define "pinion.natsStreamReplicas" -}}
{{- if .Values.nats.enabled -}}
{{- ternary 3 1 (ge (int .Values.nats.replicas) 3) -}}
{{- else -}}
{{- .Values.externalNats.streamReplicas -}}
{{- end -}}
{{- end -}}

{{- define "pinion.kuboPrimaryHost" -}}
{{- $kubo := include "pinion.componentName" (dict "root" . "component" "kubo") -}}
{{- printf "%s-%d.%s-headless.%s.svc" $kubo (int .Values.kubo.primary) $kubo .Release.Namespace -}}
{{- end -}}

{{/*
Where the services find Postgres, NATS and Kubo, as two maps: "plain" (NAME → value) and
"secret" (NAME → {secret, key}). A bundled database's URL embeds the password through Kubernetes'
$(VAR) expansion, which only sees variables defined earlier: secret variables are rendered first.
*/}}
{{- define "pinion.infraEnv" -}}
{{- $plain := dict -}}
{{- $secret := dict -}}
{{- if .Values.postgresql.enabled -}}
{{- $auth := .Values.postgresql.auth -}}
{{- $_ := set $secret "PINION_DATABASE_PASSWORD" (dict "secret" $auth.existingSecret "key" $auth.secretKey) -}}
{{- $_ := set $plain "DATABASE_URL" (printf "postgresql://%s:$(PINION_DATABASE_PASSWORD)@%s:5432/%s" $auth.username (include "pinion.componentName" (dict "root" . "component" "postgresql")) $auth.database) -}}
{{- else -}}
{{- $_ := set $secret "DATABASE_URL" (dict "secret" .Values.externalDatabase.existingSecret "key" .Values.externalDatabase.existingSecretKey) -}}
{{- end -}}
{{- if .Values.nats.enabled -}}
{{- $_ := set $plain "NATS_URL" (printf "nats://%s:4222" (include "pinion.componentName" (dict "root" . "component" "nats"))) -}}
{{- else if .Values.externalNats.existingSecret -}}
{{- $_ := set $secret "NATS_URL" (dict "secret" .Values.externalNats.existingSecret "key" .Values.externalNats.existingSecretKey) -}}
{{- else -}}
{{- $_ := set $plain "NATS_URL" .Values.externalNats.url -}}
{{- end -}}
{{- $_ := set $plain "NATS_STREAM_REPLICAS" (include "pinion.natsStreamReplicas" .) -}}
{{- if .Values.kubo.enabled -}}
{{- $_ := set $plain "KUBO_RPC_URL" (printf "http://%s:5001" (include "pinion.componentName" (dict "root" . "component" "kubo-rpc"))) -}}
{{- else if .Values.externalKubo.existingSecret -}}
{{- $_ := set $secret "KUBO_RPC_URL" (dict "secret" .Values.externalKubo.existingSecret "key" .Values.externalKubo.existingSecretKey) -}}
{{- else -}}
{{- $_ := set $plain "KUBO_RPC_URL" .Values.externalKubo.url -}}
{{- end -}}
{{- toYaml (dict "plain" $plain "secret" $secret) -}}
{{- end -}}

{{/* Fails the render with a clear message when a required setting is missing. */}}
{{- define "pinion.validate" -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.externalDatabase.existingSecret) -}}
{{- fail "postgresql.enabled is false: set externalDatabase.existingSecret (a Secret holding DATABASE_URL)" -}}
{{- end -}}
{{- if and .Values.postgresql.enabled (not .Values.postgresql.auth.existingSecret) -}}
{{- fail "set postgresql.auth.existingSecret (a Secret holding the database password)" -}}
{{- end -}}
{{- if and (not .Values.nats.enabled) (not .Values.externalNats.url) (not .Values.externalNats.existingSecret) -}}
{{- fail "nats.enabled is false: set externalNats.url or externalNats.existingSecret" -}}
{{- end -}}
{{- if and (not .Values.kubo.enabled) (not .Values.externalKubo.url) (not .Values.externalKubo.existingSecret) -}}
{{- fail "kubo.enabled is false: set externalKubo.url or externalKubo.existingSecret" -}}
{{- end -}}
{{- if and .Values.kubo.enabled (ge (int .Values.kubo.primary) (int .Values.kubo.replicas)) -}}
{{- fail "kubo.primary must be the ordinal of an existing replica (below kubo.replicas)" -}}
{{- end -}}
{{- if not .Values.secrets.auth -}}
{{- fail "set secrets.auth (a Secret with signing-key.pem and public-keys.json): every service verifies tokens" -}}
{{- end -}}
{{- end -}}

{{/*
Resolves "<secrets key>/<Secret key>" references into (NAME → {secret, key, ref}); references to
a Secret whose name is empty are dropped (the feature is off). args: (dict "root" $ "refs" map)
*/}}
{{- define "pinion.secretRefs" -}}
{{- $out := dict -}}
{{- range $name, $ref := .refs -}}
{{- $parts := splitn "/" 2 $ref -}}
{{- if not (hasKey $.root.Values.secrets $parts._0) -}}
{{- fail (printf "%s refers to %q, which is not a key of secrets" $name $parts._0) -}}
{{- end -}}
{{- $secretName := index $.root.Values.secrets $parts._0 -}}
{{- if $secretName -}}
{{- $_ := set $out $name (dict "secret" $secretName "key" $parts._1 "ref" $parts._0) -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* Secret keys a component reads as files (NAME → {secret, key, ref}). */}}
{{- define "pinion.secretFiles" -}}
{{- $c := fromYaml (include "pinion.component" .) -}}
{{- $refs := dict -}}
{{- if ne $c.auth "none" -}}
{{- $_ := set $refs "AUTH_PUBLIC_KEYS_FILE" "auth/public-keys.json" -}}
{{- end -}}
{{- if eq $c.auth "sign" -}}
{{- $_ := set $refs "AUTH_SIGNING_KEY_FILE" "auth/signing-key.pem" -}}
{{- end -}}
{{- if $c.session -}}
{{- $_ := set $refs "SESSION_SECRET_FILE" "session/secret" -}}
{{- end -}}
{{- $refs = merge (deepCopy ($c.values.secretFiles | default dict)) (deepCopy (.root.Values.common.secretFiles | default dict)) $refs -}}
{{- include "pinion.secretRefs" (dict "root" .root "refs" $refs) -}}
{{- end -}}

{{/* Renders a plain env value: whole numbers without exponent, everything else as text. */}}
{{- define "pinion.envValue" -}}
{{- if and (kindIs "float64" .) (eq (float64 (int64 .)) .) -}}
{{- int64 . | toString | quote -}}
{{- else -}}
{{- toString . | quote -}}
{{- end -}}
{{- end -}}

{{/* The env list of a component's container; args: (dict "root" $ "component" "x"). */}}
{{- define "pinion.env" -}}
{{- $root := .root -}}
{{- $c := fromYaml (include "pinion.component" .) -}}
{{- $infra := fromYaml (include "pinion.infraEnv" $root) -}}
{{- $grace := int (default $root.Values.common.terminationGracePeriodSeconds $c.values.terminationGracePeriodSeconds) -}}
{{- if ge (int $root.Values.common.readinessDrainSeconds) (sub $grace 5) -}}
{{- fail (printf "%s: terminationGracePeriodSeconds (%d) must exceed common.readinessDrainSeconds + 5" .component $grace) -}}
{{- end -}}
{{- $computed := dict
  "PORT" "8080"
  "METRICS_PORT" ($root.Values.common.metricsPort | toString)
  "HOST" "0.0.0.0"
  "PUBLIC_URL" (include "pinion.publicUrl" $root)
  "TRUST_PROXY_HOPS" (include "pinion.trustProxyHops" $root)
  "SHUTDOWN_TIMEOUT_MS" (mul (sub $grace 5) 1000 | toString)
  "SHUTDOWN_READINESS_DELAY_MS" (mul $root.Values.common.readinessDrainSeconds 1000 | toString)
  "DATABASE_URL" $infra.plain.DATABASE_URL
  "NATS_URL" $infra.plain.NATS_URL
  "NATS_STREAM_REPLICAS" $infra.plain.NATS_STREAM_REPLICAS
-}}
{{- if not $computed.DATABASE_URL }}{{ $_ := unset $computed "DATABASE_URL" }}{{ end -}}
{{- if not $computed.NATS_URL }}{{ $_ := unset $computed "NATS_URL" }}{{ end -}}
{{- $secret := dict -}}
{{- range $name, $ref := $infra.secret -}}
{{- if or (ne $name "KUBO_RPC_URL") $c.kuboRpc -}}
{{- $_ := set $secret $name $ref -}}
{{- end -}}
{{- end -}}
{{- if $c.kuboRpc -}}
{{- $_ := set $computed "BLOCKSTORE" "kubo" -}}
{{- if $infra.plain.KUBO_RPC_URL }}{{ $_ := set $computed "KUBO_RPC_URL" $infra.plain.KUBO_RPC_URL }}{{ end -}}
{{- end -}}
{{- if $c.blockstore -}}
{{- $_ := set $computed "KUBO_IMPORT_SPOOL_PATH" "/var/spool/pinion" -}}
{{- end -}}
{{- if and $c.delegates $root.Values.pinDelegates -}}
{{- $_ := set $computed "PIN_DELEGATES" (join "," $root.Values.pinDelegates) -}}
{{- end -}}
{{- if ne $c.auth "none" -}}
{{- $_ := set $computed "AUTH_ISSUER" $root.Values.auth.issuer -}}
{{- $_ := set $computed "AUTH_AUDIENCE" $root.Values.auth.audience -}}
{{- end -}}
{{- range $name, $file := fromYaml (include "pinion.secretFiles" .) -}}
{{- $_ := set $computed $name (printf "/var/run/secrets/pinion/%s/%s" $file.ref $file.key) -}}
{{- end -}}
{{- $userSecret := fromYaml (include "pinion.secretRefs" (dict "root" $root "refs" (merge (deepCopy ($c.values.secretEnv | default dict)) (deepCopy ($root.Values.common.secretEnv | default dict))))) -}}
{{- $secret = merge $userSecret $secret -}}
{{- $plain := merge (deepCopy ($c.values.env | default dict)) (deepCopy ($root.Values.common.env | default dict)) $computed -}}
{{- range $name, $ignored := $secret }}{{ $_ := unset $plain $name }}{{ end -}}
{{- range $name := keys $secret | sortAlpha }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ (index $secret $name).secret }}
      key: {{ (index $secret $name).key | quote }}
{{- end }}
{{- range $name := keys $plain | sortAlpha }}
- name: {{ $name }}
  value: {{ include "pinion.envValue" (index $plain $name) }}
{{- end }}
{{- end -}}

{{/* A projected volume with every Secret key the component reads as a file, or nothing. */}}
{{- define "pinion.secretVolume" -}}
{{- $files := fromYaml (include "pinion.secretFiles" .) -}}
{{- if $files -}}
{{- $bySecret := dict -}}
{{- range $name, $file := $files -}}
{{- $items := index $bySecret $file.ref | default list -}}
{{- $_ := set $bySecret $file.ref (append $items (dict "key" $file.key "path" (printf "%s/%s" $file.ref $file.key) "secret" $file.secret)) -}}
{{- end }}
- name: secrets
  projected:
    defaultMode: 0440
    sources:
{{- range $ref := keys $bySecret | sortAlpha }}
{{- $items := index $bySecret $ref }}
      - secret:
          name: {{ (first $items).secret }}
          items:
{{- range $item := $items }}
            - key: {{ $item.key | quote }}
              path: {{ $item.path | quote }}
{{- end }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* The securityContext/scheduling shared by every Pinion pod. args: (dict "root" $ "values" svc) */}}
{{- define "pinion.scheduling" -}}
{{- with (default .root.Values.common.nodeSelector .values.nodeSelector) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (default .root.Values.common.tolerations .values.tolerations) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (default .root.Values.common.affinity .values.affinity) }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
The one pod template of every Pinion service: non-root, read-only root filesystem, no
capabilities, RuntimeDefault seccomp, no API token; /healthz liveness, /readyz readiness; /tmp
(and the blockstore spool) as size-limited emptyDirs; Secret keys as files under
/var/run/secrets/pinion/<secrets key>/. args: (dict "root" $ "component" "gateway")
*/}}
{{- define "pinion.podTemplate" -}}
{{- $root := .root -}}
{{- $c := fromYaml (include "pinion.component" .) -}}
{{- $v := $c.values -}}
{{- $secretVolume := include "pinion.secretVolume" . -}}
metadata:
  labels:
    {{- include "pinion.labels" . | nindent 4 }}
  {{- $scrape := dict "prometheus.io/scrape" "true" "prometheus.io/port" ($root.Values.common.metricsPort | toString) "prometheus.io/path" "/metrics" }}
  {{- with (merge (deepCopy ($v.podAnnotations | default dict)) (deepCopy ($root.Values.common.podAnnotations | default dict)) $scrape) }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ include "pinion.serviceAccountName" $root }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  terminationGracePeriodSeconds: {{ default $root.Values.common.terminationGracePeriodSeconds $v.terminationGracePeriodSeconds }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.common.podSecurityContext | nindent 4 }}
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "pinion.selectorLabels" . | nindent 10 }}
  {{- with include "pinion.scheduling" (dict "root" $root "values" $v) | trim }}
  {{- . | nindent 2 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "pinion.image" (dict "root" $root "component" .component "override" $v.image) | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        - name: metrics
          containerPort: {{ $root.Values.common.metricsPort }}
          protocol: TCP
      env:
        {{- include "pinion.env" . | trim | nindent 8 }}
      startupProbe:
        httpGet: { path: /healthz, port: http }
        periodSeconds: 2
        failureThreshold: 30
      livenessProbe:
        httpGet: { path: /healthz, port: http }
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      readinessProbe:
        httpGet: { path: /readyz, port: http }
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 2
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      securityContext:
        {{- toYaml $root.Values.common.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if $c.blockstore }}
        - name: spool
          mountPath: /var/spool/pinion
        {{- end }}
        {{- if $secretVolume }}
        - name: secrets
          mountPath: /var/run/secrets/pinion
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ $root.Values.common.tmpSizeLimit }}
    {{- if $c.blockstore }}
    - name: spool
      emptyDir:
        sizeLimit: {{ $v.spoolSizeLimit }}
    {{- end }}
    {{- with $secretVolume }}
    {{- . | trim | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* ------------------------------------------------ the four objects of every service folder */}}

{{- define "pinion.deployment" -}}
{{- include "pinion.validate" .root -}}
{{- $c := fromYaml (include "pinion.component" .) -}}
{{- if $c.values.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "pinion.componentName" . }}
  labels:
    {{- include "pinion.labels" . | nindent 4 }}
spec:
  {{- if not $c.values.autoscaling.enabled }}
  replicas: {{ $c.values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "pinion.selectorLabels" . | nindent 6 }}
  template:
    {{- include "pinion.podTemplate" . | nindent 4 }}
{{- end }}
{{- end -}}

{{- define "pinion.service" -}}
{{- $c := fromYaml (include "pinion.component" .) -}}
{{- if $c.values.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "pinion.componentName" . }}
  labels:
    {{- include "pinion.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "pinion.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: 8080
      targetPort: http
      protocol: TCP
    - name: metrics
      port: {{ .root.Values.common.metricsPort }}
      targetPort: metrics
      protocol: TCP
{{- end }}
{{- end -}}

{{- define "pinion.pdb" -}}
{{- $c := fromYaml (include "pinion.component" .) -}}
{{- if and $c.values.enabled $c.values.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "pinion.componentName" . }}
  labels:
    {{- include "pinion.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $c.values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "pinion.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{- define "pinion.hpa" -}}
{{- $c := fromYaml (include "pinion.component" .) -}}
{{- $a := $c.values.autoscaling -}}
{{- if and $c.values.enabled $a.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "pinion.componentName" . }}
  labels:
    {{- include "pinion.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "pinion.componentName" . }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
{{- end }}
{{- end -}}
