import { z } from "zod";

// Knative's EventPolicy (eventing.knative.dev/v1alpha1) is newer than the Knative models this project
// validates with, so its shape is written here from the CRD: `to` names the sinks it guards (a ref or a
// selector each), `from` the senders (a ref to a source, or a token subject, `*` allowed at the end).

const ref = z.strictObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
});
const selector = z.strictObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  matchLabels: z.record(z.string(), z.string()).optional(),
});

const eventPolicy = z.strictObject({
  apiVersion: z.literal("eventing.knative.dev/v1alpha1"),
  kind: z.literal("EventPolicy"),
  metadata: z.object({ name: z.string().min(1) }).loose(),
  spec: z.strictObject({
    to: z.array(z.union([z.strictObject({ ref }), z.strictObject({ selector })])).optional(),
    from: z.array(z.union([z.strictObject({ ref }), z.strictObject({ sub: z.string().min(1) })])).min(1),
    filters: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});

/** A model with the shape of the Knative ones: `validate()` throws listing what is wrong. */
export class EventPolicy {
  readonly #data: unknown;
  constructor(data: unknown) {
    this.#data = data;
  }
  validate(): void {
    const result = eventPolicy.safeParse(this.#data);
    if (!result.success)
      throw new Error(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
}
