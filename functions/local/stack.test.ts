import { describe, expect, it } from "vitest";
import { baseConfigSchema } from "../../shared/config/schema.ts";
import { quietLogger } from "../../shared/testing/event-fixtures.ts";
import { createTestKeys, useTestDb } from "../../shared/testing/index.ts";
import { menuFunction } from "../menu/definition.ts";
import { createLocalStack } from "./stack.ts";

const t = useTestDb();

/** The `env` @hono/node-server hands an app: the incoming request, with its socket's address. */
const fromAddress = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe("the local stack", () => {
  it("hands the server's env through the gateway, so anonymous clients are throttled by their own address", async () => {
    const stack = await createLocalStack({
      functions: [menuFunction],
      env: {},
      config: baseConfigSchema.parse({ THROTTLE_LIMIT: "2", TRUST_PROXY: "false" }),
      db: t.db,
      logger: quietLogger,
      verify: (await createTestKeys()).verify,
    });
    try {
      const get = (address: string) =>
        stack.fetch(new Request("http://localhost/api/menu-items"), fromAddress(address));
      const first = [await get("10.0.0.1"), await get("10.0.0.1"), await get("10.0.0.1")];
      expect(first.map((r) => r.status)).toEqual([200, 200, 429]);
      // Another client is not held back by the first one's requests.
      expect((await get("10.0.0.2")).status).toBe(200);
    } finally {
      await stack.close();
    }
  });
});
