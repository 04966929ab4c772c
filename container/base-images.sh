#!/usr/bin/env bash
# Makes, on this machine, the two base images the Dockerfile names, since no image registry can be
# reached: both from Debian's packages and the Node binary `npm install` already put in node_modules.
#   gcr.io/distroless/nodejs24-debian12:nonroot  glibc, libstdc++, CA certificates, tzdata, /nodejs/bin/node, user 65532
#   node:24.21.0-bookworm-slim                   the same plus busybox (a shell) and npm 11.19.0 (the npm node:24.21.0 bundles)
# Skips an image that already exists; FORCE=1 remakes both.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNTIME=gcr.io/distroless/nodejs24-debian12:nonroot
BUILD=node:24.21.0-bookworm-slim
NPM_VERSION=11.19.0
NODE_BIN=node_modules/node/bin/node
[ -x "$NODE_BIN" ] || { echo "$NODE_BIN is missing: run npm ci first" >&2; exit 1; }
"$NODE_BIN" --version | grep -qx v24.21.0 || { echo "$NODE_BIN is not Node 24.21.0" >&2; exit 1; }
exists() { [ "${FORCE:-0}" != 1 ] && buildah inspect --type image "$1" >/dev/null 2>&1; }
if exists "$RUNTIME" && exists "$BUILD"; then echo "base images present"; exit 0; fi

work=$(mktemp -d)
chmod 755 "$work" # apt-get download writes as _apt
trap 'rm -rf "$work"' EXIT
# Debian's packages, unpacked (no maintainer scripts: none of these needs one to work).
(cd "$work" && apt-get download -q libc6 libgcc-s1 libstdc++6 tzdata ca-certificates netbase base-files busybox-static >/dev/null)
root="$work/rootfs"
mkdir -p "$root"
for deb in "$work"/*.deb; do
  case "$deb" in *busybox*) ;; *) dpkg-deb -x "$deb" "$root" ;; esac
done
mkdir -p "$root/nodejs/bin" "$root/etc/ssl/certs" "$root/tmp" "$root/home/nonroot"
install -m 0755 "$NODE_BIN" "$root/nodejs/bin/node"
# The certificates this machine trusts (Debian's and its proxy's), as ca-certificates' trigger would write them.
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"
chown 65532:65532 "$root/home/nonroot"

commit() { # name rootfs user entrypoint
  local c
  c=$(buildah from scratch)
  buildah add --quiet "$c" "$2" / >/dev/null
  buildah config --user "$3" --entrypoint "$4" --workingdir / \
    --env PATH=/usr/local/bin:/nodejs/bin:/usr/bin:/bin --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt "$c"
  buildah commit --quiet --rm "$c" "$1" >/dev/null
  echo "made $1"
}
commit "$RUNTIME" "$root" 65532:65532 '["/nodejs/bin/node"]'

# The build stage: a shell (busybox's applets) and npm, run by the same node as root.
dpkg-deb -x "$work"/busybox-static_*.deb "$root"
for applet in $("$root/bin/busybox" --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
mkdir -p "$root/usr/bin" "$root/usr/local/bin" "$root/usr/local/lib/node_modules/npm" "$root/root"
ln -sf /bin/env "$root/usr/bin/env"
ln -sf /nodejs/bin/node "$root/usr/local/bin/node"
(cd "$work" && npm pack -q "npm@$NPM_VERSION" >/dev/null)
tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
commit "$BUILD" "$root" 0:0 '[]'
