import { Hono } from "hono";
import { expect, it, describe as suite } from "vitest";
import { z } from "zod";
import { requireAuth, requireRole } from "../auth/middleware.ts";
import { createFunctionApp } from "../http/create-app.ts";
import { body, query } from "../http/validation.ts";
import { createLogger } from "../log.ts";
import { createTestKeys } from "../testing/keys.ts";
import { describe } from "./describe.ts";
import { generateDocument } from "./generate.ts";

const thing = z.object({ id: z.number().int(), slug: z.string() }).meta({ id: "Thing" });
const thingBody = z.object({ slug: z.string().min(1, "must not be empty"), size: z.number().optional() });

async function sampleApp() {
  const keys = await createTestKeys();
  const app = new Hono();
  app.use("/things/*", requireAuth(keys.verify));
  app.get(
    "/catalogue",
    describe({ summary: "List things", responses: { 200: z.array(thing) } }),
    query(z.object({ q: z.string().optional(), n: z.string() })),
    (c) => c.json([]),
  );
  app.post(
    "/things/:id",
    describe({ summary: "Change a thing", responses: { 200: thing }, errors: [409] }),
    requireRole("manager"),
    body(thingBody),
    (c) => c.json({ id: 1, slug: c.get("body").slug }),
  );
  app.get("/undocumented", (c) => c.text("x"));
  return app;
}

suite("generateDocument", () => {
  it("documents each described route with the schemas its middleware validates with", async () => {
    const doc = generateDocument(await sampleApp(), { title: "t", version: "1", tag: "sample" });
    expect(Object.keys(doc.paths)).toEqual(["/catalogue", "/things/{id}"]);
    // biome-ignore lint/suspicious/noExplicitAny: an operation object is read field by field
    const list = doc.paths["/catalogue"]!.get as Record<string, any>;
    expect(list.operationId).toBe("listThings");
    expect(list.parameters).toEqual([
      { name: "q", in: "query", required: false, schema: { type: "string" } },
      { name: "n", in: "query", required: true, schema: { type: "string" } },
    ]);
    expect(list.security).toEqual([]);
    expect(list.responses["200"].content["application/json"].schema).toEqual({
      type: "array",
      items: { $ref: "#/components/schemas/Thing" },
    });
    expect(Object.keys(list.responses).sort()).toEqual(["200", "400", "405", "429", "500", "503"]);

    // biome-ignore lint/suspicious/noExplicitAny: an operation object is read field by field
    const change = doc.paths["/things/{id}"]!.post as Record<string, any>;
    expect(change.security).toEqual([{ bearer: [] }, { token: [] }]);
    expect(change["x-roles"]).toEqual(["manager"]);
    expect(change.parameters[0]).toEqual({
      name: "id",
      in: "path",
      required: true,
      schema: { type: "integer", minimum: 1 },
    });
    expect(change.requestBody.content["application/json"].schema).toEqual({
      type: "object",
      properties: { slug: { type: "string", minLength: 1 }, size: { type: "number" } },
      required: ["slug"],
    });
    expect(Object.keys(change.responses).sort()).toEqual(
      ["200", "400", "401", "403", "404", "405", "409", "413", "415", "429", "500", "503"].sort(),
    );
    expect(change.responses["409"]).toEqual({ $ref: "#/components/responses/Problem409" });
    expect(doc.components.schemas.Thing).toMatchObject({
      additionalProperties: false,
      required: ["id", "slug"],
    });
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it("body() answers a person's sentence for a missing field, and passes the parsed body on", async () => {
    const app = createFunctionApp({ db: undefined as never, logger: createLogger("silent") });
    app.post("/echo", body(thingBody), (c) => c.json(c.get("body")));
    const missing = await app.request("/echo", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(missing.status).toBe(400);
    const problem = (await missing.json()) as { detail: string; errors: unknown };
    expect(problem.detail).toBe("slug is required.");
    expect(problem.errors).toEqual([{ path: "slug", message: "is required" }]);
    const wrongType = await app.request("/echo", { method: "POST", body: '{"slug":"a","size":"x"}' });
    expect(((await wrongType.json()) as { detail: string }).detail).toBe("size must be a number.");
    const ok = await app.request("/echo", { method: "POST", body: '{"slug":"a","extra":1}' });
    expect(await ok.json()).toEqual({ slug: "a" });
  });
});
