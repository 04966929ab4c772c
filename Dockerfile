# syntax=docker/dockerfile:1
# One image for every Tavola function and for the migration Job:
#   docker build -t REGISTRY/tavola:TAG .
# The program is chosen when the container starts, by FUNCTION (auth, menu, cart, order, delivery,
# migrate or web-assets) or by the first argument. See docs/deploying.md.

# deps: the whole dependency tree, for the build only; none of it reaches the runtime image.
FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
# Install scripts stay off: the "node" devDependency would fetch a second Node, and this image's
# Node 24 is the one that builds.
RUN npm ci --ignore-scripts --no-audit --no-fund

# build: one self-contained, minified bundle per function plus the launcher (functions/build.ts).
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /src
COPY --from=deps /src/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY db ./db
COPY shared ./shared
COPY functions ./functions
COPY client ./client
COPY web ./web
RUN node functions/build.ts
# The web app (Vite): web/dist, index.html and content-hashed files under assets/.
RUN node node_modules/vite/bin/vite.js build --config web/vite.config.ts

# runtime: Node 24, the bundles and the built web app (copied out by the gateway's initContainer with
# the web-assets program, docs/web.md), nothing else (no shell, no package manager, no node_modules).
# The bundles stay owned by root, so the process that runs them cannot change them.
FROM gcr.io/distroless/nodejs24-debian12:nonroot AS runtime
LABEL org.opencontainers.image.title="tavola" \
      org.opencontainers.image.description="Tavola functions (auth, menu, cart, order, delivery) and the migration Job"
WORKDIR /app
COPY --from=build /src/dist ./dist
COPY --from=build /src/web/dist ./web
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/nodejs/bin/node", "/app/dist/main.mjs"]
