import { z } from "zod";
import { cronProblem, goDurationSeconds, isIsoDuration } from "./formats.ts";
import { idOf, isKind, type K8sObject } from "./render.ts";

// What Knative's admission webhooks would refuse at `kubectl apply` but the OpenAPI schemas accept: the
// checks a cluster would make, made here with no cluster.

/** Env names Knative Serving sets itself and refuses in a Service. */
export const RESERVED_ENV = ["PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION"] as const;

const AUTOSCALING = "autoscaling.knative.dev/";
const scale = z.string().regex(/^\d+$/, "must be a non-negative integer");
const goDuration = (maxSeconds: number, minSeconds = 0) =>
  z.string().refine((v) => {
    const s = goDurationSeconds(v);
    return s !== undefined && s >= minSeconds && s <= maxSeconds;
  }, `must be a Go duration between ${minSeconds}s and ${maxSeconds}s`);
const percent = z.string().refine((v) => Number(v) > 0 && Number(v) <= 100, "must be in (0, 100]");

/** Every autoscaling annotation Knative knows, with the values it accepts. */
export const AUTOSCALING_ANNOTATIONS: Record<string, z.ZodType<string>> = {
  class: z.enum(["kpa.autoscaling.knative.dev", "hpa.autoscaling.knative.dev"]),
  metric: z.enum(["concurrency", "rps", "cpu", "memory"]),
  target: z.string().refine((v) => Number(v) >= 0.01, "must be a number of at least 0.01"),
  "target-utilization-percentage": percent,
  "min-scale": scale,
  "max-scale": scale,
  "initial-scale": scale,
  "activation-scale": z.string().regex(/^[1-9]\d*$/, "must be a positive integer"),
  "scale-down-delay": goDuration(3600),
  "scale-to-zero-pod-retention-period": goDuration(3600),
  window: goDuration(3600, 6),
  "panic-window-percentage": percent,
  "panic-threshold-percentage": z.string().refine((v) => Number(v) >= 110, "must be at least 110"),
  "target-burst-capacity": z.string().refine((v) => Number(v) >= -1, "must be -1 or more"),
};

const envVar = z.object({ name: z.string() }).passthrough();
const probe = z
  .object({ httpGet: z.object({ port: z.unknown() }).passthrough().optional() })
  .passthrough()
  .optional();
const container = z
  .object({
    env: z.array(envVar).optional(),
    ports: z.array(z.object({ containerPort: z.number() }).passthrough()).optional(),
    readinessProbe: probe,
    livenessProbe: probe,
  })
  .passthrough();

const knativeService = z
  .object({
    metadata: z.object({ annotations: z.record(z.string(), z.string()).optional() }).passthrough(),
    spec: z
      .object({
        template: z.object({
          metadata: z
            .object({ annotations: z.record(z.string(), z.string()).optional() })
            .passthrough()
            .optional(),
          spec: z
            .object({
              containerConcurrency: z.number().int().min(0).max(1000).optional(),
              timeoutSeconds: z.number().int().min(1).max(600).optional(),
              containers: z.array(container).min(1),
            })
            .passthrough(),
        }),
        traffic: z
          .array(
            z
              .object({
                percent: z.number().int().min(0).max(100).optional(),
                tag: z.string().optional(),
                revisionName: z.string().optional(),
                latestRevision: z.boolean().optional(),
              })
              .passthrough(),
          )
          .optional(),
      })
      .passthrough(),
  })
  .passthrough()
  .superRefine((svc, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const annotations = svc.spec.template.metadata?.annotations ?? {};
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(AUTOSCALING)) continue;
      const rule = AUTOSCALING_ANNOTATIONS[key.slice(AUTOSCALING.length)];
      if (!rule)
        issue(["spec", "template", "metadata", "annotations", key], "unknown autoscaling annotation");
      else if (!rule.safeParse(value).success)
        issue(
          ["spec", "template", "metadata", "annotations", key],
          rule.safeParse(value).error!.issues[0]!.message,
        );
    }
    const min = Number(annotations[`${AUTOSCALING}min-scale`] ?? 0);
    const max = Number(annotations[`${AUTOSCALING}max-scale`] ?? 0);
    if (max > 0 && min > max)
      issue(["spec", "template", "metadata", "annotations"], "min-scale exceeds max-scale");
    for (const key of Object.keys(svc.metadata.annotations ?? {}))
      if (key.startsWith(AUTOSCALING))
        issue(["metadata", "annotations", key], "belongs on spec.template.metadata");

    const containers = svc.spec.template.spec.containers;
    const withPorts = containers.filter((c) => (c.ports?.length ?? 0) > 0);
    if (withPorts.length !== 1 || withPorts[0]!.ports!.length !== 1)
      issue(["spec", "template", "spec", "containers"], "exactly one container port must be declared");
    const port = withPorts[0]?.ports?.[0]?.containerPort;
    for (const [i, c] of containers.entries()) {
      for (const env of c.env ?? [])
        if ((RESERVED_ENV as readonly string[]).includes(env.name))
          issue(["spec", "template", "spec", "containers", i, "env"], `${env.name} is reserved by Knative`);
      for (const kind of ["readinessProbe", "livenessProbe"] as const) {
        const probePort = c[kind]?.httpGet?.port;
        if (probePort !== undefined && probePort !== port)
          issue(
            ["spec", "template", "spec", "containers", i, kind],
            `probe port ${probePort} is not ${port}`,
          );
      }
    }

    const traffic = svc.spec.traffic;
    if (traffic) {
      const sum = traffic.reduce((s, t) => s + (t.percent ?? 0), 0);
      if (sum !== 100) issue(["spec", "traffic"], `percents sum to ${sum}, not 100`);
      for (const [i, t] of traffic.entries())
        if (Boolean(t.revisionName) === Boolean(t.latestRevision))
          issue(["spec", "traffic", i], "name a revisionName or set latestRevision: true, not both");
      const tags = traffic.map((t) => t.tag).filter(Boolean);
      if (new Set(tags).size !== tags.length) issue(["spec", "traffic"], "tags must be unique");
    }
  });

const delivery = z
  .object({
    retry: z.number().int().min(0).optional(),
    backoffPolicy: z.enum(["linear", "exponential"]).optional(),
    backoffDelay: z.string().refine(isIsoDuration, "must be an ISO-8601 duration").optional(),
    timeout: z.string().refine(isIsoDuration, "must be an ISO-8601 duration").optional(),
  })
  .passthrough()
  .optional();
const withDelivery = z.object({ spec: z.object({ delivery }).passthrough().optional() }).passthrough();
const cron = z.string().superRefine((v, ctx) => {
  const problem = cronProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const scheduled = z.object({ spec: z.object({ schedule: cron }).passthrough() }).passthrough();

const RULES: { kind: string; schema: z.ZodType }[] = [
  { kind: "serving.knative.dev/Service", schema: knativeService },
  { kind: "eventing.knative.dev/Broker", schema: withDelivery },
  { kind: "eventing.knative.dev/Trigger", schema: withDelivery },
  { kind: "sources.knative.dev/PingSource", schema: scheduled },
  { kind: "CronJob", schema: scheduled },
];

/** Every webhook-only rule each object breaks, as `Kind/name: path: message`. */
export function webhookProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    for (const rule of RULES) {
      if (!isKind(object, rule.kind)) continue;
      const result = rule.schema.safeParse(object);
      if (result.success) continue;
      for (const issue of result.error.issues)
        problems.push(`${idOf(object)}: ${issue.path.join(".")}: ${issue.message}`);
    }
  }
  return problems;
}
