import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { FUNCTION_NAMES } from "../../shared/names.ts";

// Production bundles of the functions and of the baseline, built the same way into the harness's own
// directory: through the project's build (functions/build.ts) when it exists, so that what is measured
// is what ships, and otherwise with esbuild directly and the same options.

export interface BundleEntry {
  name: string;
  entry: string;
}

export interface BuiltBundle {
  name: string;
  file: string;
  bytes: number;
}

type ProjectBundler = (
  entries: readonly BundleEntry[],
  outdir: string,
) => Promise<{ name: string; file: string; bytes: number }[]>;

/** The functions that have a `functions/<name>/main.ts`, in the order of the spec's table. */
export function functionEntries(root: string): BundleEntry[] {
  return FUNCTION_NAMES.map((name) => ({ name, entry: join(root, "functions", name, "main.ts") })).filter(
    (e) => existsSync(e.entry),
  );
}

export async function buildBundles(
  root: string,
  entries: readonly BundleEntry[],
  outdir: string,
): Promise<{ bundles: BuiltBundle[]; builtWith: string }> {
  const projectBuild = join(root, "functions", "build.ts");
  if (existsSync(projectBuild)) {
    const module = (await import(pathToFileURL(projectBuild).href)) as { bundle?: ProjectBundler };
    if (typeof module.bundle === "function") {
      const reports = await module.bundle(entries, outdir);
      return {
        bundles: reports.map((r) => ({ name: r.name, file: r.file, bytes: r.bytes })),
        builtWith: "functions/build.ts bundle()",
      };
    }
  }
  // A deliberate copy of functions/build.ts's esbuild options: the bench also builds older checkouts,
  // which have no functions/build.ts (or one without bundle()), so it cannot import them from the tree it
  // measures. Keep the two in step when the build changes.
  const bundles: BuiltBundle[] = [];
  for (const { name, entry } of entries) {
    const file = join(outdir, `${name}.mjs`);
    await build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      platform: "node",
      target: "node24",
      format: "esm",
      minify: true,
      legalComments: "none",
      // pg is CommonJS and require()s Node's built-ins, which ESM output lacks.
      banner: { js: "import{createRequire as __r}from'node:module';const require=__r(import.meta.url);" },
      external: ["@electric-sql/pglite", "pg-native"],
      logLevel: "warning",
    });
    bundles.push({ name, file, bytes: (await stat(file)).size });
  }
  return { bundles, builtWith: "esbuild (the harness's fallback: functions/build.ts not found)" };
}
