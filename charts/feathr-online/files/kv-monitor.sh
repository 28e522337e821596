# One run of the kv-monitor CronJob: measure the path to Key Vault with the same probe as
# `feathr-kv-setup check` (kv-probe.sh, sourced), judge each check, record the result in the
# ConfigMap (last KEEP_RESULTS runs: time, node, pass/fail per check, never a value), post a
# Warning Event on the SecretProviderClass for a failure, and exit 1 so the Job fails and
# kube-state-metrics reports it.
#
# Inputs (env) besides the probe's: NAMESPACE, NODE_NAME, POD_NAME, SPC_NAME, RESULTS_CONFIGMAP,
# KEEP_RESULTS, EXPECT_PRIVATE (true: the name must resolve to a private address),
# ROTATION_POLL_SECONDS (empty: rotation is off and freshness isn't judged), and the fixes
# FIX_DNS FIX_NETWORK FIX_FIREWALL (may hold {address}) FIX_TOKEN FIX_IDENTITY FIX_SECRETS
# FIX_FRESHNESS,
# which the installer fills with the same text `check` prints.
# The Kubernetes API: KUBE_API, KUBE_TOKEN_FILE, KUBE_CA (in-cluster defaults).

. "${PROBE_SCRIPT:-$(dirname "$0")/kv-probe.sh}"

KUBE_API="${KUBE_API:-https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}}"
KUBE_TOKEN_FILE="${KUBE_TOKEN_FILE:-/var/run/secrets/kubernetes.io/serviceaccount/token}"
KUBE_CA="${KUBE_CA:-/var/run/secrets/kubernetes.io/serviceaccount/ca.crt}"
KEEP_RESULTS="${KEEP_RESULTS:-48}"
now=$(date -u +%s)
stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# kube METHOD PATH [BODYFILE CONTENT-TYPE]: the API token travels on stdin, never in argv.
kube() {
  set -- "$1" "$2" "${3:-}" "${4:-application/json}"
  cacert=""; [ -f "$KUBE_CA" ] && cacert="--cacert $KUBE_CA"
  if [ -n "$3" ]; then
    printf 'Authorization: Bearer %s\nContent-Type: %s\n' "$(cat "$KUBE_TOKEN_FILE")" "$4" \
      | curl -sf --max-time 15 $cacert -H @- -X "$1" --data-binary "@$3" "$KUBE_API$2"
  else
    printf 'Authorization: Bearer %s\n' "$(cat "$KUBE_TOKEN_FILE")" | curl -sf --max-time 15 $cacert -H @- -X "$1" "$KUBE_API$2"
  fi
}

is_private() {
  case "$1" in
    10.*|192.168.*|127.*) return 0 ;;
    172.*) o=$(printf '%s' "$1" | cut -d. -f2); [ "$o" -ge 16 ] && [ "$o" -le 31 ] ;;
    *) return 1 ;;
  esac
}

# Results per check: pass | fail | skip. The first failure names the Event.
r_dns=pass; r_tcp=pass; r_tls=pass; r_firewall=pass; r_token=pass; r_secrets=pass; r_freshness=pass
first=""; cause=""; fix=""
failed() { # check cause fix
  eval "r_$1=fail"
  [ -z "$first" ] && { first=$1; cause=$2; fix=$3; }
}
addresses=$(printf '%s' "$addrs" | sed 's/ *$//; s/ /, /g')
V="$VAULT_NAME"

if [ -z "$addrs" ]; then
  failed dns "Can't resolve $H from the cluster ($dnserr)." "$FIX_DNS"
elif [ "$EXPECT_PRIVATE" = true ]; then
  for a in $addrs; do
    is_private "$a" || { failed dns "Can't reach vault $V from the cluster: it resolves to $a, a public address." "$FIX_DNS"; break; }
  done
fi
if [ "$tcp" != true ]; then
  r_tls=skip
  failed tcp "The cluster can't open TCP 443 to vault $V at ${addresses:-no address}." "$FIX_NETWORK"
elif [ "$tls" != true ]; then
  failed tls "The cluster completes TCP but not the TLS handshake to vault $V at $addresses." "$FIX_NETWORK"
fi
if [ "$tls" != true ]; then
  r_firewall=skip
elif [ "$code" = ForbiddenByFirewall ]; then
  failed firewall "Vault $V's firewall refuses the cluster: it sees the cluster's egress address ${client:-unknown}, which isn't in its ipRules." "$(printf '%s' "$FIX_FIREWALL" | sed "s/{address}/${client:-<egress-ip>}/g")"
elif [ "$code" = ForbiddenByConnection ]; then
  failed firewall "Vault $V refuses the cluster: public network access is disabled and the request doesn't come through the private endpoint." "$FIX_DNS"
elif [ "$status" = 401 ]; then
  # Without a token the vault answers its challenge before its network rules: not judged.
  r_firewall=skip
fi
if [ "$tokmode" = none ]; then
  r_token=skip
elif [ "$gottoken" != true ]; then
  failed token "The $tokmode identity gets no token for Key Vault from node $NODE_NAME." "$FIX_TOKEN"
fi

# Every mapped object readable: names and status codes only.
if [ "$gottoken" != true ] || [ "$tls" != true ] || [ "$r_firewall" = fail ]; then
  r_secrets=skip; r_freshness=skip
else
  unreadable=""
  for n in $OBJECTS; do
    st=$(printf '%s' "$objs_read" | sed -n "s/.*{\"name\":\"$n\",\"status\":\([0-9]*\).*/\1/p")
    [ "$st" = 200 ] || unreadable="$unreadable${unreadable:+, }$n (${st:-no answer})"
  done
  if [ -n "$unreadable" ]; then
    if [ "$status" = 403 ] && [ "$code" = ForbiddenByRbac ]; then
      failed secrets "The identity isn't allowed to read secrets in vault $V: it has no Key Vault Secrets User role there, or a new assignment hasn't propagated yet." "$FIX_IDENTITY"
    else
      failed secrets "Vault $V doesn't give the identity these secrets: $unreadable." "$FIX_SECRETS"
    fi
    r_freshness=skip
  fi
fi

# Freshness: what the pods mounted (the driver's SecretProviderClassPodStatus versions) against
# the vault's current version, allowed to lag by two rotation polls.
if [ "$r_freshness" = pass ] && [ -z "$ROTATION_POLL_SECONDS" ]; then r_freshness=skip; fi
if [ "$r_freshness" = pass ]; then
  mounted=$(kube GET "/apis/secrets-store.csi.x-k8s.io/v1/namespaces/$NAMESPACE/secretproviderclasspodstatuses" \
    | sed 's/{"apiVersion"/\n{"apiVersion"/g' | grep "\"secretProviderClassName\":\"$SPC_NAME\"" | grep -o '"id":"[^"]*","version":"[^"]*"')
  if [ -z "$mounted" ]; then
    r_freshness=skip
  else
    stale=""
    for n in $OBJECTS; do
      cur=$(printf '%s' "$objs_read" | sed -n "s/.*{\"name\":\"$n\",\"status\":200,\"version\":\"\([^\"]*\)\",\"updated\":\([0-9]*\).*/\1 \2/p")
      ver=${cur% *}; upd=${cur#* }
      [ -z "$ver" ] && continue
      old=$(printf '%s\n' "$mounted" | grep -i "\"id\":\"[^\"]*/$n\"" | grep -v "\"version\":\"$ver\"" | head -n 1)
      if [ -n "$old" ] && [ $((now - upd)) -gt $((2 * ROTATION_POLL_SECONDS)) ]; then
        stale="$stale${stale:+, }$n"
      fi
    done
    [ -n "$stale" ] && failed freshness "The synced Secret lags vault $V: $stale changed more than two rotation polls ($((2 * ROTATION_POLL_SECONDS))s) ago and the pods still have the old version." "$FIX_FRESHNESS"
  fi
fi

ok=true; [ -n "$first" ] && ok=false
record="{\"time\":\"$stamp\",\"node\":\"$(esc "$NODE_NAME")\",\"address\":\"$(esc "$client")\",\"ok\":$ok,\"failed\":\"$first\",\"checks\":{\"dns\":\"$r_dns\",\"tcp\":\"$r_tcp\",\"tls\":\"$r_tls\",\"firewall\":\"$r_firewall\",\"token\":\"$r_token\",\"secrets\":\"$r_secrets\",\"freshness\":\"$r_freshness\"}}"
echo "FEATHR_MONITOR_RESULT $record"

# The ConfigMap: one key per run and pod (sortable by time; two pods of a run may share a node
# and a second), the oldest dropped past KEEP_RESULTS.
key="run-$now-$(printf '%s' "${POD_NAME:-$HOSTNAME}" | tr -c 'A-Za-z0-9.-' '-' | cut -c1-200)"
keys=$(kube GET "/api/v1/namespaces/$NAMESPACE/configmaps/$RESULTS_CONFIGMAP" | grep -o '"run-[0-9]*-[A-Za-z0-9.-]*":' | tr -d '":' | sort -u)
count=$(printf '%s\n' $keys | grep -c .)
drop=""; [ "$count" -ge "$KEEP_RESULTS" ] && drop=$(printf '%s\n' $keys | grep . | head -n $((count - KEEP_RESULTS + 1)))
escaped=$(printf '%s' "$record" | sed 's/\\/\\\\/g; s/"/\\"/g')
patch="{\"data\":{\"$key\":\"$escaped\""
for k in $drop; do patch="$patch,\"$k\":null"; done
printf '%s}}' "$patch" > /tmp/monitor-patch
kube PATCH "/api/v1/namespaces/$NAMESPACE/configmaps/$RESULTS_CONFIGMAP" /tmp/monitor-patch application/merge-patch+json >/dev/null \
  || echo "The results couldn't be written to ConfigMap $RESULTS_CONFIGMAP."

if [ "$ok" != true ]; then
  uid=$(kube GET "/apis/secrets-store.csi.x-k8s.io/v1/namespaces/$NAMESPACE/secretproviderclasses/$SPC_NAME" | sed -n 's/.*"uid":"\([^"]*\)".*/\1/p' | head -n 1)
  message="Check $first failed on node $NODE_NAME (the vault sees ${client:-an unknown address}): $cause Fix: $fix"
  printf '{"apiVersion":"v1","kind":"Event","metadata":{"generateName":"%s.","namespace":"%s"},"involvedObject":{"apiVersion":"secrets-store.csi.x-k8s.io/v1","kind":"SecretProviderClass","name":"%s","namespace":"%s","uid":"%s"},"reason":"KeyVaultPathBroken","message":"%s","type":"Warning","source":{"component":"feathr-kv-monitor","host":"%s"},"reportingComponent":"feathr-kv-monitor","reportingInstance":"%s","firstTimestamp":"%s","lastTimestamp":"%s","count":1}' \
    "$SPC_NAME" "$NAMESPACE" "$SPC_NAME" "$NAMESPACE" "$uid" "$(printf '%s' "$message" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr -d '\000-\037')" "$(esc "$NODE_NAME")" "$(esc "$NODE_NAME")" "$stamp" "$stamp" > /tmp/monitor-event
  kube POST "/api/v1/namespaces/$NAMESPACE/events" /tmp/monitor-event >/dev/null || echo "The Warning Event couldn't be posted."
  echo "$message"
  exit 1
fi
echo "Every check passed on node $NODE_NAME."
