import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The web app: `npm run build:web` writes web/dist (index.html and content-hashed files under assets/).
// JSX is compiled by Vite's own transformer for Preact's automatic runtime, so no Babel-based plugin is
// needed (@preact/preset-vite would add Babel for hot reload and hook names, which a build does not use).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    sourcemap: false,
  },
  server: { proxy: { "/api": "http://localhost:8080" } },
});
