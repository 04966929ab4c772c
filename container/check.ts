// `npx node container/check.ts IMAGE DATABASE_URL`: runs the image as the prod overlay's manifests would,
// against a real (empty) PostgreSQL database, and asserts what docs/deploying.md promises:
//   each function's container (the Knative Service's env and limits, read-only root, non-root, no
//   capabilities) answers /healthz at once and /readyz 503 until the migrate container (the Job's) has
//   run, then 200; one real request per function; SIGTERM ends each with exit code 0.
// The credentials are made as `node knative/credentials.ts` makes them. Containers share the host's
// network (as the machine has no other), so each is told HOST=127.0.0.1 and a free PORT instead of 8080.
// Prints one line per assertion; exits 1 if any fails. container/run.sh builds the image and runs this.

import { execFile } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { containerEnv } from "../knative/checks/config-env.ts";
import { FUNCTION_NAMES, knativeServices, tavolaContainers } from "../knative/checks/pods.ts";
import { credentialsTemplate, findObject, type K8sObject, renderOverlay } from "../knative/checks/render.ts";
import { fillCredentials, generateValues } from "../knative/credentials.ts";
import { freePort } from "../shared/testing/free-port.ts";
import { type Container, podmanRunArgs, quantityBytes } from "./knative-run.ts";

const exec = promisify(execFile);
const [image = "localhost/tavola:ci", databaseUrl] = process.argv.slice(2);
if (!databaseUrl) throw new Error("usage: container/check.ts IMAGE DATABASE_URL (an empty database)");

const failures: string[] = [];
function check(ok: boolean, what: string, detail = ""): void {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${ok || !detail ? "" : `: ${detail}`}`);
  if (!ok) failures.push(what);
}

const podman = async (...args: string[]) =>
  (await exec("podman", args, { maxBuffer: 8 << 20 })).stdout.trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function http(
  port: number,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      ...init,
      signal: AbortSignal.timeout(5_000),
    });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: "" };
  }
}

/** Polls until `path` answers `status` (or `ms` pass); the last answer. */
async function until(port: number, path: string, status: number, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await http(port, path);
    if (answer.status === status || Date.now() > deadline) return answer;
    await sleep(200);
  }
}

/** The main process's uid, effective capabilities and memory limit, as the host sees them. */
async function processFacts(name: string) {
  const pid = await podman("inspect", "--format", "{{.State.Pid}}", name);
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const field = (key: string) => new RegExp(`^${key}:\\s*(\\S+)`, "m").exec(status)?.[1];
  const memory = Number(await podman("inspect", "--format", "{{.HostConfig.Memory}}", name));
  return { uid: field("Uid"), capEff: field("CapEff"), memory };
}

const objects = await renderOverlay("prod");
const credentials = fillCredentials(await credentialsTemplate(), generateValues(), "tavola");
const sources: K8sObject[] = [...objects, ...credentials];
const adminPassword = credentials.find((o) => o.metadata.name === "tavola-migrate")!.stringData
  .ADMIN_PASSWORD;
const prefix = `tavola-check-${process.pid}`;

/** The env the container would see in the cluster, with the database, host and port of this machine. */
function envOf(container: Container, extra: Record<string, string>): Record<string, string> {
  const { values, problems } = containerEnv(container, sources);
  if (problems.length > 0) throw new Error(problems.join("; "));
  return { ...values, DATABASE_URL: databaseUrl!, ...extra };
}

const started: string[] = [];
try {
  // Every function's container, before any migration.
  const services = knativeServices(objects);
  const running: { fn: string; name: string; port: number; memory: number }[] = [];
  for (const fn of FUNCTION_NAMES) {
    const service = services.get(fn)!;
    const spec = service.spec.template.spec;
    const container = spec.containers[0] as Container;
    const port = await freePort();
    const env = envOf(container, {
      HOST: "127.0.0.1",
      PORT: String(port),
      K_SERVICE: fn,
      K_CONFIGURATION: fn,
      K_REVISION: `${fn}-00001`,
    });
    const name = `${prefix}-${fn}`;
    await podman(...podmanRunArgs(container, spec, env, { name, image }).toSpliced(1, 0, "--detach"));
    started.push(name);
    running.push({ fn, name, port, memory: quantityBytes(container.resources.limits.memory) });
  }
  for (const { fn, name, port, memory } of running) {
    const healthz = await until(port, "/healthz", 200, 30_000);
    check(healthz.status === 200, `${fn}: /healthz 200`, `got ${healthz.status}`);
    const facts = await processFacts(name);
    check(facts.uid === "65532", `${fn}: runs as uid 65532 (non-root)`, `uid ${facts.uid}`);
    check(facts.capEff === "0000000000000000", `${fn}: no capabilities`, `CapEff ${facts.capEff}`);
    check(facts.memory === memory, `${fn}: memory limit ${memory} bytes`, `limit ${facts.memory}`);
    const readyz = await http(port, "/readyz");
    check(readyz.status === 503, `${fn}: /readyz 503 before the migrate container`, `got ${readyz.status}`);
  }
  const write = await podman(
    "exec",
    running[0]!.name,
    "/nodejs/bin/node",
    "-e",
    "for (const p of ['/app/x', '/tmp/x']) try { require('fs').writeFileSync(p, 'x'); console.log(p, 'written') } catch (e) { console.log(p, e.code) }",
  );
  check(write === "/app/x EROFS\n/tmp/x EROFS", "root filesystem read-only (/app, /tmp)", write);

  // The migrate container, as the Job runs it; it must exit 0.
  const migrate = tavolaContainers(objects).find((c) => c.function === "migrate")!;
  const migrateName = `${prefix}-migrate`;
  started.push(migrateName);
  const migrateEnv = envOf(migrate.container, {});
  const migrated = await exec(
    "podman",
    podmanRunArgs(migrate.container, migrate.spec, migrateEnv, { name: migrateName, image }),
  )
    .then(() => 0)
    .catch((e: { code?: number; stderr?: string }) => {
      console.log(e.stderr);
      return e.code ?? 1;
    });
  check(migrated === 0, "migrate container exits 0", `exit ${migrated}`);

  for (const { fn, port } of running) {
    const readyz = await until(port, "/readyz", 200, 30_000);
    check(readyz.status === 200, `${fn}: /readyz 200 after the migrate container`, `got ${readyz.status}`);
  }

  // One real request per function.
  const port = (fn: string) => running.find((r) => r.fn === fn)!.port;
  const json = { "content-type": "application/json" };
  const login = await http(port("auth"), "/api/token", {
    method: "POST",
    headers: json,
    body: JSON.stringify({ username: "admin", password: adminPassword }),
  });
  check(
    login.status === 200,
    "auth: POST /api/token (the admin the migration made) 200",
    `${login.status} ${login.body}`,
  );
  const token = login.status === 200 ? (JSON.parse(login.body) as { access: string }).access : "";
  const bearer = { authorization: `Bearer ${token}` };
  for (const [fn, path] of [
    ["menu", "/api/categories"],
    ["cart", "/api/cart/menu-items"],
    ["order", "/api/orders"],
    ["delivery", "/api/deliveries"],
  ] as const) {
    const answer = await http(port(fn), path, { headers: bearer });
    check(answer.status === 200, `${fn}: GET ${path} 200`, `${answer.status} ${answer.body.slice(0, 200)}`);
  }

  // The gateway's web-assets initContainer, as its pod runs it: it copies the built web app into the
  // emptyDir (here a directory of this machine) that the gateway's nginx serves.
  const gatewaySpec = findObject(objects, "Deployment", "gateway").spec.template.spec;
  const webInit = (gatewaySpec.initContainers as Container[]).find((c) => c.name === "web-assets")!;
  const webDir = await mkdtemp(join(tmpdir(), "tavola-web-assets-"));
  await chmod(webDir, 0o777); // the pod's user (not this one) writes it, as into an emptyDir
  const webName = `${prefix}-web-assets`;
  started.push(webName);
  const runArgs = podmanRunArgs(webInit, gatewaySpec, {}, { name: webName, image });
  const volume = [
    "--volume",
    `${webDir}:${(webInit as { volumeMounts: { mountPath: string }[] }).volumeMounts[0]!.mountPath}`,
  ];
  const copied = await exec("podman", [
    ...runArgs.slice(0, -1),
    ...volume,
    image,
    ...((webInit as { args?: string[] }).args ?? []),
  ])
    .then(() => 0)
    .catch((e: { code?: number; stderr?: string }) => {
      console.log(e.stderr);
      return e.code ?? 1;
    });
  const files = await readdir(webDir, { recursive: true }).catch(() => [] as string[]);
  await rm(webDir, { recursive: true, force: true });
  check(
    copied === 0 && files.includes("index.html") && files.some((f) => /^assets\/.+\.js$/.test(f)),
    "web-assets initContainer copies index.html and the hashed assets",
    `exit ${copied}, files ${files.join(", ")}`,
  );

  // A clean stop: SIGTERM, then exit code 0.
  for (const { fn, name } of running) {
    await podman("kill", "--signal", "TERM", name);
    const code = await Promise.race([podman("wait", name), sleep(20_000).then(() => "timeout")]);
    check(code === "0", `${fn}: SIGTERM → exit 0`, `exit ${code}`);
  }
} catch (error) {
  check(false, "the check ran to its end", String((error as Error).stack ?? error));
} finally {
  for (const name of started) {
    if (failures.length > 0) {
      const logs = await podman("logs", "--tail", "20", name).catch(() => "");
      if (logs) console.log(`--- ${name} (last lines)\n${logs}`);
    }
    await podman("rm", "--force", "--ignore", name).catch(() => "");
  }
}
console.log(
  failures.length === 0 ? "container checks: all passed" : `container checks: ${failures.length} failed`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
