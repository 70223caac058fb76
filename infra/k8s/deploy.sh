#!/usr/bin/env bash
# Deploys Fascia to one environment: the migration Job first (the new schema must be there
# before the new version's pods start), waits for it to complete, then the apps.
# Usage: infra/k8s/deploy.sh staging|production   (kubectl's current context is the cluster)
set -euo pipefail
env="${1:?usage: deploy.sh staging|production}"
dir="$(cd "$(dirname "$0")" && pwd)/overlays/$env"
ns="fascia-$env"
[ -d "$dir" ] || { echo "no overlay $dir" >&2; exit 1; }
kubectl get secret fascia-secrets -n "$ns" >/dev/null || { echo "create the Secret fascia-secrets in $ns first (docs/operations.md §Kubernetes)" >&2; exit 1; }
# A Job's pod template cannot change: remove the previous release's Job, then run this one.
kubectl delete job fascia-migrate -n "$ns" --ignore-not-found --wait=true
kubectl apply -k "$dir/migrate"
if ! kubectl wait --for=condition=complete job/fascia-migrate -n "$ns" --timeout=30m; then
  kubectl logs job/fascia-migrate -n "$ns" --tail=50 >&2 || true
  echo "migration failed: the running version is untouched" >&2
  exit 1
fi
kubectl apply -k "$dir"
for d in fascia-api fascia-worker fascia-admin; do kubectl rollout status "deployment/$d" -n "$ns" --timeout=10m; done
