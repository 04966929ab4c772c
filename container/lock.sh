#!/usr/bin/env bash
# The lock must install with the npm the Dockerfile's base image bundles (node:24.21.0 → npm 11.19.0):
# `npm ci --dry-run` with that npm resolves the whole tree from package-lock.json and refuses a lock that
# lacks an entry (the platform packages npm 11.6.2+ expects), without installing anything (about 5 s).
#   container/lock.sh [DIR]       DIR: where package.json and package-lock.json are (default: the repository)
set -euo pipefail
NPM_VERSION=11.19.0
dir="${1:-$(dirname "$0")/..}"
cd "$dir"
npx -y "npm@$NPM_VERSION" ci --dry-run --ignore-scripts --no-audit --no-fund >/dev/null
echo "package-lock.json installs with npm $NPM_VERSION (npm ci --dry-run)"
