// A static review of the Dockerfile (no Docker engine runs here): the stages, what reaches the runtime
// image, who it runs as, and that no secret is baked in.

/** One instruction: its keyword, its arguments, and the stage it belongs to. */
export interface Instruction {
  keyword: string;
  args: string;
  stage: string;
}

/** The instructions of a Dockerfile, continuation lines joined and comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const instructions: Instruction[] = [];
  let stage = "";
  for (const raw of joined) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === "FROM") stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${instructions.length}`;
    instructions.push({ keyword: upper, args, stage });
  }
  return instructions;
}

const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE|DATABASE_URL|API_KEY|JWT_)/i;
const NEEDED_IGNORES = [".git", "node_modules", "dist", ".data", ".env"];

/** Every way the Dockerfile (and its .dockerignore) falls short of the image the issue asks for. */
export function dockerfileProblems(text: string, dockerignore: string, buildCommand: string): string[] {
  const problems: string[] = [];
  const all = parseDockerfile(text);
  const froms = all.filter((i) => i.keyword === "FROM");
  const stages = froms.map((i) => i.stage);
  if (stages.join(",") !== "deps,build,runtime")
    problems.push(`stages are ${stages.join(", ") || "none"}, not deps, build, runtime`);
  for (const from of froms) {
    const image = from.args.split(/\s+/)[0] ?? "";
    const tag = /:([^/@]+)$/.exec(image)?.[1];
    if (!tag && !image.includes("@sha256:")) problems.push(`${from.stage}: ${image} is not pinned by tag`);
    if (tag === "latest") problems.push(`${from.stage}: ${image} uses :latest`);
    if (!/24/.test(image)) problems.push(`${from.stage}: ${image} is not Node 24`);
  }
  const runtime = all.filter((i) => i.stage === "runtime" && i.keyword !== "FROM");
  const runtimeFrom = froms.find((f) => f.stage === "runtime")?.args ?? "";
  if (!/distroless|slim/.test(runtimeFrom))
    problems.push("the runtime stage is not a slim or distroless image");

  const users = runtime.filter((i) => i.keyword === "USER").map((i) => i.args.split(":")[0]!.trim());
  const user = users.at(-1);
  if (!user) problems.push("the runtime stage sets no USER: it would run as root");
  else if (user === "root" || user === "0" || (/^\d+$/.test(user) && Number(user) < 1000))
    problems.push(`the runtime stage runs as ${user}`);

  const copies = runtime.filter((i) => i.keyword === "COPY" || i.keyword === "ADD");
  const fromBuild = copies.filter((i) => /--from=build\b/.test(i.args));
  if (!fromBuild.some((i) => /\/dist\s+\S*dist\/?$/.test(i.args)))
    problems.push("the runtime stage does not copy dist/ from the build stage");
  for (const copy of copies) {
    if (!/--from=build\b/.test(copy.args))
      problems.push(`runtime copies from the build context: ${copy.args}`);
    if (/node_modules/.test(copy.args)) problems.push("runtime copies node_modules: the bundles need none");
  }
  if (runtime.some((i) => i.keyword === "RUN"))
    problems.push("the runtime stage RUNs commands (it has no shell)");
  const entry = runtime.filter((i) => i.keyword === "ENTRYPOINT" || i.keyword === "CMD").at(-1);
  if (!entry?.args.startsWith("[") || !entry.args.includes("dist/main.mjs"))
    problems.push("the entrypoint is not the launcher dist/main.mjs in exec form");

  const build = all.filter((i) => i.stage === "build" && i.keyword === "RUN").map((i) => i.args);
  if (!build.some((args) => args.includes(buildCommand)))
    problems.push(`the build stage does not run the build script (${buildCommand})`);

  for (const i of all) {
    if ((i.keyword === "ENV" || i.keyword === "ARG") && SECRET_NAME.test(i.args))
      problems.push(`${i.stage}: ${i.keyword} ${i.args.split(/[=\s]/)[0]} bakes a secret into the image`);
    if ((i.keyword === "COPY" || i.keyword === "ADD") && /(\.env|\.pem|\.jwk|\.data|secret)/i.test(i.args))
      problems.push(`${i.stage}: copies what may be a secret: ${i.args}`);
  }
  const ignored = new Set(dockerignore.split(/\r?\n/).map((l) => l.trim()));
  for (const needed of NEEDED_IGNORES)
    if (!ignored.has(needed)) problems.push(`.dockerignore does not exclude ${needed}`);
  return problems;
}
