import { z } from "zod";
import type { ApplyOutcome } from "../receive/apply.ts";
import type { DeadLetterView } from "./replay.ts";

// The dead-letter routes' answers as the OpenAPI document shows them; `satisfies` below keeps them the
// same shape as the views the code builds.

export const deadLetterSchema = z
  .object({
    id: z.number().int(),
    consumer: z.string(),
    event_id: z.string(),
    source: z.string(),
    type: z.string(),
    subject: z.string().nullable(),
    error_code: z.string().nullable(),
    error_dest: z.string().nullable(),
    attributes: z.record(z.string(), z.string()),
    data: z.unknown().describe("The data when it was JSON, else null (see body_base64)."),
    body_base64: z.string().nullable().describe("The body exactly as received, base64-encoded."),
    content_type: z.string().nullable(),
    received_at: z.iso.datetime(),
    replayed_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "DeadLetter" });

export const replayResultSchema = z
  .object({ outcome: z.enum(["applied", "duplicate"]), dead_letter: deadLetterSchema })
  .meta({ id: "ReplayResult" });

// Compile-time checks that the documented shapes and the code's views agree both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const deadLetterShapeMatches: Same<z.infer<typeof deadLetterSchema>, DeadLetterView> = true;
export const outcomeMatches: Same<z.infer<typeof replayResultSchema>["outcome"], ApplyOutcome> = true;
