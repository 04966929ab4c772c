import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withSinkToken } from "./sender-verifier.ts";

const dir = await mkdtemp(join(tmpdir(), "tavola-sink-token-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("publishing with the pod's token for the Broker", () => {
  it("presents the token file's current content on every send, keeping the CloudEvent headers", async () => {
    const file = join(dir, "broker-token");
    const seen: Record<string, string>[] = [];
    const fetch = withSinkToken(async (_url, init) => {
      seen.push(init.headers as Record<string, string>);
      return new Response(null, { status: 202 });
    }, file);
    await writeFile(file, "first\n");
    await fetch("http://broker/", { method: "POST", headers: { "ce-id": "1" } });
    // The kubelet rotates the projected token: the next send reads the new one.
    await writeFile(file, "second");
    await fetch("http://broker/", { method: "POST", headers: { "ce-id": "2" } });
    expect(seen).toEqual([
      { "ce-id": "1", authorization: "Bearer first" },
      { "ce-id": "2", authorization: "Bearer second" },
    ]);
  });
});
