#!/usr/bin/env bash
# Starts each host for real, checks /health over HTTP, creates a job through the API and waits for it
# to complete, pushes an OTLP trace and finds it listed, then stops the host with SIGTERM. Used by CI;
# handy after changing a host.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_health() { # url log
  for _ in $(seq 1 120); do
    if curl -sf -m 2 "$1/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "host at $1 did not become healthy; its log:"; cat "$2"; return 1
}

check_host() { # name url log
  local body
  body=$(curl -sf -m 5 "$2/health")
  [ "$body" = '{"status":"healthy"}' ] || { echo "$1: unexpected /health body: $body"; return 1; }
  curl -sf -m 5 "$2/api/health" | grep -q '"ok":true' || { echo "$1: /api/health database check failed"; return 1; }
  if curl -sf -m 5 "$2/openapi.json" | grep -q '/api/jobs/diagnostic'; then
    local job status=""
    job=$(curl -sf -m 5 -X POST -H 'Content-Type: application/json' -d '{"units":3}' "$2/api/jobs/diagnostic" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).job_id))')
    for _ in $(seq 1 60); do
      status=$(curl -sf -m 5 "$2/api/jobs/$job" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).status))')
      [ "$status" = completed ] && break
      sleep 0.5
    done
    [ "$status" = completed ] || { echo "$1: diagnostic job $job ended as '$status'"; cat "$3"; return 1; }
  fi
  # OTLP ingest end to end (on the Node host this goes through the OTLP preparation thread).
  local otlp='{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",'
  otlp+='"spanId":"eee19b7ec3c1b174","name":"smoke","startTimeUnixNano":"1746093600000000000",'
  otlp+='"endTimeUnixNano":"1746093601000000000"}]}]}]}'
  curl -sf -m 10 -X POST -H 'Content-Type: application/json' -d "$otlp" "$2/v1/traces" >/dev/null ||
    { echo "$1: POST /v1/traces failed"; cat "$3"; return 1; }
  curl -sf -m 5 "$2/api/traces" | grep -q 5b8efff798038103d269b633813fc60c ||
    { echo "$1: the OTLP trace is not listed"; cat "$3"; return 1; }
  echo "$1: ok"
}

PORT=18787 DATABASE_URL="file:$work/node/iofold.db" node_modules/.bin/tsx src/runtime/node.ts >"$work/node.log" 2>&1 &
pids+=($!)
wait_for_health http://127.0.0.1:18787 "$work/node.log"
check_host node http://127.0.0.1:18787 "$work/node.log"

node_modules/.bin/wrangler d1 migrations apply DB --local --persist-to "$work/wrangler" >"$work/migrate.log" 2>&1 ||
  { cat "$work/migrate.log"; exit 1; }
node_modules/.bin/wrangler dev --port 18788 --ip 127.0.0.1 --var AUTH_MODE:local --persist-to "$work/wrangler" \
  >"$work/worker.log" 2>&1 &
pids+=($!)
wait_for_health http://127.0.0.1:18788 "$work/worker.log"
check_host worker http://127.0.0.1:18788 "$work/worker.log"
