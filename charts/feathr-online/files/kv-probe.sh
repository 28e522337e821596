# The in-cluster probe of the path to Key Vault. `feathr-kv-setup check` runs it in a
# short-lived pod and the chart's kv-monitor CronJob sources it, so both judge the same
# measurements. POSIX sh plus what the default image has (getent or nslookup, curl,
# sha256sum); a missing tool degrades the result instead of failing it.
#
# Inputs (env): VAULT_NAME; VAULT_HOST (another cloud's suffix, e.g. <vault>.vault.azure.cn)
# and VAULT_URL (overrides https://<host>); the
# identity: AZURE_FEDERATED_TOKEN_FILE (workload identity), IMDS_CLIENT_ID (VM managed
# identity; IMDS_URL replaces the metadata address in tests) or SP_CREDENTIALS_DIR (service principal: clientid/clientsecret files);
# MOUNT_DIR + EXPECTED (aliases to hash in a CSI mount); OBJECTS (vault object names to read
# with the token: only status, version and update time are kept, never the value).
#
# Output: one line `FEATHR_PROBE_RESULT {json}`, also written to $TERMINATION_LOG when set (the
# container's terminationMessagePath, so a reader gets it with the pod's status instead of its
# log). A token never reaches a command line (curl
# reads the header from stdin) and is never printed; secret values are never printed.

esc() { printf '%s' "$1" | tr -d '\000-\037\042\134' | cut -c1-400; }
H="${VAULT_HOST:-$VAULT_NAME.vault.azure.net}"
URL_BASE="${VAULT_URL:-https://$H}"
AUTHORITY="${AZURE_AUTHORITY_HOST:-https://login.microsoftonline.com/}"
addrs=""
if command -v getent >/dev/null 2>&1; then
  addrs=$(getent ahostsv4 "$H" 2>/dev/null | awk '{print $1}' | sort -u | tr '\n' ' ')
fi
if [ -z "$addrs" ] && command -v nslookup >/dev/null 2>&1; then
  addrs=$(nslookup "$H" 2>/dev/null | awk '/^Address/ && !/#/ && !/:53$/ {print $NF}' | sort -u | tr '\n' ' ')
fi
dnserr=""
[ -z "$addrs" ] && dnserr="no address for $H"
alist=""
for a in $addrs; do alist="$alist${alist:+,}\"$(esc "$a")\""; done

# The identity's token, as the CSI provider gets it for this identity mode.
tok=""; tokmode=none
if command -v curl >/dev/null 2>&1; then
  if [ -n "$AZURE_FEDERATED_TOKEN_FILE" ]; then
    tokmode=workload-identity
    tok=$(curl -s --max-time 10 "${AUTHORITY%/}/$AZURE_TENANT_ID/oauth2/v2.0/token" \
      --data-urlencode "client_id=$AZURE_CLIENT_ID" --data-urlencode "scope=https://vault.azure.net/.default" \
      --data-urlencode "client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer" \
      --data-urlencode "client_assertion@$AZURE_FEDERATED_TOKEN_FILE" --data-urlencode "grant_type=client_credentials" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  elif [ -n "$SP_CREDENTIALS_DIR" ]; then
    # The secret goes to curl as a file reference, never as an argument.
    tokmode=service-principal
    tok=$(curl -s --max-time 10 "${AUTHORITY%/}/$AZURE_TENANT_ID/oauth2/v2.0/token" \
      --data-urlencode "client_id@$SP_CREDENTIALS_DIR/clientid" --data-urlencode "client_secret@$SP_CREDENTIALS_DIR/clientsecret" \
      --data-urlencode "scope=https://vault.azure.net/.default" --data-urlencode "grant_type=client_credentials" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  elif [ -n "$IMDS_CLIENT_ID" ]; then
    tokmode=vm-managed-identity
    tok=$(curl -s --max-time 5 -H Metadata:true \
      "${IMDS_URL:-http://169.254.169.254}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=$IMDS_CLIENT_ID" \
      | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  fi
fi
gottoken=false; [ -n "$tok" ] && gottoken=true

tcp=false; tls=false; status=0; verr=""; client=""; code=""
if command -v curl >/dev/null 2>&1; then
  hdr=""; [ -n "$tok" ] && hdr="Authorization: Bearer $tok"
  status=$(printf '%s\n' "$hdr" | curl -s --connect-timeout 5 --max-time 15 -H @- -o /tmp/vault-body -w '%{http_code}' "$URL_BASE/secrets?api-version=7.4&maxresults=1")
  rc=$?
  case $rc in 0) tcp=true; tls=true ;; 35|51|58|60|77|80|83|90|91) tcp=true ;; esac
  [ "$rc" -ne 0 ] && verr="curl exit $rc"
  status=$(printf '%s' "$status" | sed 's/^0*//'); status=${status:-0}
  if [ -s /tmp/vault-body ]; then
    body=$(cat /tmp/vault-body)
    client=$(printf '%s' "$body" | sed -n 's/.*Client address: *\([0-9A-Fa-f.:]*[0-9A-Fa-f]\).*/\1/p')
    code=$(printf '%s' "$body" | sed -n 's/.*"innererror":{"code":"\([^"]*\)".*/\1/p')
    [ -z "$code" ] && code=$(printf '%s' "$body" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
    msg=$(printf '%s' "$body" | sed 's/\\r\\n/ /g' | sed -n 's/.*"message":"\([^"]*\)".*/\1/p')
    [ "$status" -ge 400 ] 2>/dev/null && verr="$code: $msg"
  fi
  rm -f /tmp/vault-body
fi

# Each mapped object, read with the token. The answer holds the value: it stays in a shell
# variable (never a file), only the version id and the update time are cut out of it.
objs_read=""
if [ -n "$OBJECTS" ] && [ -n "$tok" ]; then
  for n in $OBJECTS; do
    answer=$(printf '%s\n' "$hdr" | curl -s --connect-timeout 5 --max-time 15 -H @- -w '\n%{http_code}' "$URL_BASE/secrets/$n?api-version=7.4")
    st=$(printf '%s' "$answer" | tail -n 1 | sed 's/^0*//'); st=${st:-0}
    ver=$(printf '%s' "$answer" | sed -n 's/.*"id":"[^"]*\/secrets\/[^/"]*\/\([0-9A-Za-z]*\)".*/\1/p' | head -n 1)
    upd=$(printf '%s' "$answer" | sed -n 's/.*"updated":\([0-9]*\).*/\1/p' | head -n 1); upd=${upd:-0}
    ocode=""
    if [ "$st" -ge 400 ] 2>/dev/null; then
      ocode=$(printf '%s' "$answer" | sed -n 's/.*"innererror":{"code":"\([^"]*\)".*/\1/p' | head -n 1)
      [ -z "$ocode" ] && ocode=$(printf '%s' "$answer" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p' | head -n 1)
    fi
    answer=""
    objs_read="$objs_read${objs_read:+,}{\"name\":\"$(esc "$n")\",\"status\":$st,\"version\":\"$(esc "$ver")\",\"updated\":$upd,\"code\":\"$(esc "$ocode")\"}"
  done
fi
tok=""; hdr=""

mount=null
if [ -n "$MOUNT_DIR" ]; then
  ok=true; mobjs=""
  for f in $EXPECTED; do
    p="$MOUNT_DIR/$f"
    if [ -s "$p" ]; then
      h=$(sha256sum "$p" | awk '{print $1}')
      o="{\"alias\":\"$(esc "$f")\",\"state\":\"mounted\",\"sha256\":\"$h\"}"
    elif [ -e "$p" ]; then ok=false; o="{\"alias\":\"$(esc "$f")\",\"state\":\"empty\"}"
    else ok=false; o="{\"alias\":\"$(esc "$f")\",\"state\":\"missing\"}"
    fi
    mobjs="$mobjs${mobjs:+,}$o"
  done
  mount="{\"ok\":$ok,\"objects\":[$mobjs]}"
fi

probe_line=$(printf 'FEATHR_PROBE_RESULT {"dns":{"host":"%s","addresses":[%s],"error":"%s"},"tcp443":%s,"tls":%s,"vaultStatus":%s,"vaultError":"%s","clientAddress":"%s","token":{"mode":"%s","ok":%s},"objects":[%s],"mount":%s}\n' \
  "$(esc "$H")" "$alist" "$(esc "$dnserr")" "$tcp" "$tls" "$status" "$(esc "$verr")" "$(esc "$client")" "$tokmode" "$gottoken" "$objs_read" "$mount")
printf '%s\n' "$probe_line"
if [ -n "${TERMINATION_LOG:-}" ]; then printf '%s\n' "$probe_line" > "$TERMINATION_LOG" 2>/dev/null || true; fi
