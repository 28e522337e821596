/**
 * The shell script the probe pod runs. It needs only POSIX sh plus what the
 * default image has (getent or nslookup, curl, sha256sum) and degrades when a tool is
 * missing: the result then says what couldn't be measured instead of failing.
 *
 * It prints exactly one line, `FEATHR_PROBE_RESULT {json}`. Any token it obtains stays in
 * the pod: it goes to curl through stdin (`-H @-`), never on a command line, and is never
 * printed. Mounted secret contents are only hashed.
 */
export const PROBE_RESULT_PREFIX = 'FEATHR_PROBE_RESULT ';

export const PROBE_SCRIPT = String.raw`
esc() { printf '%s' "$1" | tr -d '\000-\037\042\134' | cut -c1-400; }
H="$VAULT_NAME.vault.azure.net"
# VAULT_URL overrides the endpoint (sovereign clouds; tests against a local server).
URL_BASE="${'$'}{VAULT_URL:-https://$H}"
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
for a in $addrs; do alist="$alist${'$'}{alist:+,}\"$(esc "$a")\""; done

tok=""
if [ -n "$AZURE_FEDERATED_TOKEN_FILE" ] && command -v curl >/dev/null 2>&1; then
  tok=$(curl -s --max-time 10 "${'$'}{AZURE_AUTHORITY_HOST%/}/$AZURE_TENANT_ID/oauth2/v2.0/token" \
    --data-urlencode "client_id=$AZURE_CLIENT_ID" --data-urlencode "scope=https://vault.azure.net/.default" \
    --data-urlencode "client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer" \
    --data-urlencode "client_assertion@$AZURE_FEDERATED_TOKEN_FILE" --data-urlencode "grant_type=client_credentials" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
elif [ -n "$IMDS_CLIENT_ID" ] && command -v curl >/dev/null 2>&1; then
  tok=$(curl -s --max-time 5 -H Metadata:true \
    "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=$IMDS_CLIENT_ID" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
fi

tcp=false; tls=false; status=0; verr=""; client=""
if command -v curl >/dev/null 2>&1; then
  hdr=""; [ -n "$tok" ] && hdr="Authorization: Bearer $tok"
  status=$(printf '%s\n' "$hdr" | curl -s --connect-timeout 5 --max-time 15 -H @- -o /tmp/vault-body -w '%{http_code}' "$URL_BASE/secrets?api-version=7.4&maxresults=1")
  rc=$?
  case $rc in 0) tcp=true; tls=true ;; 35|51|58|60|77|80|83|90|91) tcp=true ;; esac
  [ "$rc" -ne 0 ] && verr="curl exit $rc"
  status=$(printf '%s' "$status" | sed 's/^0*//'); status=${'$'}{status:-0}
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
tok=""

mount=null
if [ -n "$MOUNT_DIR" ]; then
  ok=true; objs=""
  for f in $EXPECTED; do
    p="$MOUNT_DIR/$f"
    if [ -s "$p" ]; then
      h=$(sha256sum "$p" | awk '{print $1}')
      o="{\"alias\":\"$(esc "$f")\",\"state\":\"mounted\",\"sha256\":\"$h\"}"
    elif [ -e "$p" ]; then ok=false; o="{\"alias\":\"$(esc "$f")\",\"state\":\"empty\"}"
    else ok=false; o="{\"alias\":\"$(esc "$f")\",\"state\":\"missing\"}"
    fi
    objs="$objs${'$'}{objs:+,}$o"
  done
  mount="{\"ok\":$ok,\"objects\":[$objs]}"
fi

printf '${PROBE_RESULT_PREFIX}{"dns":{"host":"%s","addresses":[%s],"error":"%s"},"tcp443":%s,"tls":%s,"vaultStatus":%s,"vaultError":"%s","clientAddress":"%s","mount":%s}\n' \
  "$(esc "$H")" "$alist" "$(esc "$dnserr")" "$tcp" "$tls" "$status" "$(esc "$verr")" "$(esc "$client")" "$mount"
`;
