#!/usr/bin/env bash
# Builds the image from the unchanged Dockerfile, daemonless (buildah), on base images made on this
# machine, then runs each function's container as Knative would against a real PostgreSQL and asserts
# what docs/deploying.md promises (container/check.ts). Needs buildah, podman, runc and a PostgreSQL
# server on 127.0.0.1:5432 (trust, user postgres; PGHOST/PGPORT to change); .ci/run installs the first three.
#   container/run.sh [IMAGE]      IMAGE defaults to localhost/tavola:ci
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE="${1:-localhost/tavola:ci}"
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"

bash container/base-images.sh
# --network host: the RUN steps of these machines have no DNS otherwise; runc: crun cannot run here.
buildah bud --quiet --pull=never --network host --runtime runc --layers -t "$IMAGE" . >/dev/null
echo "built $IMAGE ($(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'))"

db="${CONTAINER_DB:-tavola_container_$$}"
psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc "create database $db"
trap 'psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true' EXIT
npx node container/check.ts "$IMAGE" "postgres://postgres@$PGHOST:$PGPORT/$db"
