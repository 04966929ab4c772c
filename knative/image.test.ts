import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dockerfileProblems, parseDockerfile } from "./checks/dockerfile.ts";
import { KNATIVE_DIR } from "./checks/render.ts";

// No Docker engine runs here: the Dockerfile is reviewed statically. The build stage runs the same
// build as `npm run build` (whose bundles functions/build.test.ts starts and stops), and the runtime
// stage gets nothing but those bundles.

const root = join(KNATIVE_DIR, "..");
const dockerfile = await readFile(join(root, "Dockerfile"), "utf8");
const dockerignore = await readFile(join(root, ".dockerignore"), "utf8");
const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};
const buildCommand = pkg.scripts.build!;

const problemsWith = (edit: (text: string) => string, ignore = dockerignore) =>
  dockerfileProblems(edit(dockerfile), ignore, buildCommand);

describe("the Dockerfile", () => {
  it("builds in deps, build and runtime stages, as npm run build does, into a non-root distroless image", () => {
    expect(buildCommand).toBe("node functions/build.ts");
    expect(dockerfileProblems(dockerfile, dockerignore, buildCommand)).toEqual([]);
    expect(
      parseDockerfile(dockerfile)
        .filter((i) => i.keyword === "FROM")
        .map((i) => i.stage),
    ).toEqual(["deps", "build", "runtime"]);
  });

  it("reports a runtime that runs as root, or sets no user", () => {
    expect(problemsWith((t) => t.replace("USER 65532:65532", "USER root"))).toEqual([
      "the runtime stage runs as root",
    ]);
    expect(problemsWith((t) => t.replace("USER 65532:65532\n", ""))).toEqual([
      "the runtime stage sets no USER: it would run as root",
    ]);
  });

  it("reports base images not pinned by tag", () => {
    const problems = problemsWith((t) =>
      t
        .replace("FROM node:24.21.0-bookworm-slim AS deps", "FROM node AS deps")
        .replace(":nonroot AS runtime", ":latest AS runtime"),
    );
    expect(problems).toEqual([
      "deps: node is not pinned by tag",
      "deps: node is not Node 24",
      "runtime: gcr.io/distroless/nodejs24-debian12:latest uses :latest",
    ]);
  });

  it("reports a secret baked into the image", () => {
    const problems = problemsWith((t) =>
      t.replace("WORKDIR /app", "WORKDIR /app\nENV JWT_PRIVATE_KEY=abc\nCOPY --from=build /src/.env ./.env"),
    );
    expect(problems).toEqual([
      "runtime: ENV JWT_PRIVATE_KEY bakes a secret into the image",
      "runtime: copies what may be a secret: --from=build /src/.env ./.env",
    ]);
  });

  it("reports a runtime that does not get the bundles, or gets node_modules and a shell", () => {
    expect(problemsWith((t) => t.replace("COPY --from=build /src/dist ./dist", "COPY dist ./dist"))).toEqual([
      "the runtime stage does not copy dist/ from the build stage",
      "runtime copies from the build context: dist ./dist",
    ]);
    expect(
      problemsWith((t) =>
        t.replace("USER 65532", "COPY --from=deps /src/node_modules ./node_modules\nRUN ls\nUSER 65532"),
      ),
    ).toEqual([
      "runtime copies from the build context: --from=deps /src/node_modules ./node_modules",
      "runtime copies node_modules: the bundles need none",
      "the runtime stage RUNs commands (it has no shell)",
    ]);
  });

  it("reports a build stage that does not run the build script, and a missing stage", () => {
    expect(
      problemsWith((t) => t.replace("RUN node functions/build.ts", "RUN npx esbuild functions/*/main.ts")),
    ).toEqual(["the build stage does not run the build script (node functions/build.ts)"]);
    const merged = problemsWith((t) =>
      t.replace(/FROM node:24.21.0-bookworm-slim AS deps[\s\S]*?--no-fund\n/, ""),
    );
    expect(merged).toContainEqual("stages are build, runtime, not deps, build, runtime");
  });

  it("reports a .dockerignore that lets node_modules or local data into the build context", () => {
    const loose = dockerignore.replace("node_modules\n", "").replace(".data\n", "");
    expect(dockerfileProblems(dockerfile, loose, buildCommand)).toEqual([
      ".dockerignore does not exclude node_modules",
      ".dockerignore does not exclude .data",
    ]);
  });
});
