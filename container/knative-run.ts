import type { PodSpec } from "../knative/checks/pods.ts";

// How Knative (or a Job) would run a container of the rendered manifests, as `podman run` flags: the
// container's limits and securityContext (and the pod's), the environment it would see.

// biome-ignore lint/suspicious/noExplicitAny: a container as YAML gives it
export type Container = Record<string, any>;

/** A Kubernetes memory quantity ("256Mi", "1Gi", "300M", "268435456") in bytes. */
export function quantityBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity.trim());
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(match[1]) * (match[2] ? unit[match[2] as keyof typeof unit] : 1));
}

/** A Kubernetes CPU quantity ("250m", "1") in CPUs. */
export function quantityCpus(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/**
 * `podman run` flags for `container` of `pod`: memory (and swap: none, as in a pod) and CPU limits,
 * read-only root (and no /tmp that Kubernetes would not give), dropped capabilities, no privilege
 * escalation, the user, and `env`. Host networking: the program is told HOST and PORT instead.
 * The two --ulimit flags are what podman needs on machines without CAP_SYS_RESOURCE.
 */
export function podmanRunArgs(
  container: Container,
  pod: PodSpec,
  env: Record<string, string>,
  options: { name: string; image: string },
): string[] {
  const args = ["run", "--name", options.name, "--runtime", "runc", "--network", "host"];
  args.push("--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096");
  const limits = container.resources?.limits ?? {};
  if (limits.memory) {
    const bytes = String(quantityBytes(String(limits.memory)));
    args.push("--memory", bytes, "--memory-swap", bytes);
  }
  if (limits.cpu) args.push("--cpus", String(quantityCpus(String(limits.cpu))));
  const security = { ...pod.securityContext, ...container.securityContext };
  if (security.readOnlyRootFilesystem) args.push("--read-only", "--read-only-tmpfs=false");
  for (const cap of security.capabilities?.drop ?? []) args.push("--cap-drop", cap);
  for (const cap of security.capabilities?.add ?? []) args.push("--cap-add", cap);
  if (security.allowPrivilegeEscalation === false) args.push("--security-opt", "no-new-privileges");
  if (security.runAsUser !== undefined)
    args.push(
      "--user",
      `${security.runAsUser}${security.runAsGroup === undefined ? "" : `:${security.runAsGroup}`}`,
    );
  for (const [name, value] of Object.entries(env)) args.push("--env", `${name}=${value}`);
  args.push(options.image);
  return args;
}
