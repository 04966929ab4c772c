import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./parse.ts";
import { authConfigSchema, baseConfigSchema } from "./schema.ts";

describe("config", () => {
  it("defaults PORT to 8080 and treats empty strings as unset", () => {
    const config = parseConfig(baseConfigSchema, { DATABASE_URL: "", K_SINK: "" });
    expect(config.PORT).toBe(8080);
    expect(config.HOST).toBe("0.0.0.0");
    expect(parseConfig(baseConfigSchema, { HOST: "127.0.0.1" }).HOST).toBe("127.0.0.1");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.K_SINK).toBeUndefined();
  });

  it("fails fast listing every bad variable at once", () => {
    let error: unknown;
    try {
      parseConfig(authConfigSchema, {
        PORT: "eighty",
        LOG_LEVEL: "loud",
        DATABASE_URL: "not a url",
        ACCESS_TOKEN_TTL_SECONDS: "1",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(":")[0]);
    expect(problems.sort()).toEqual(["ACCESS_TOKEN_TTL_SECONDS", "DATABASE_URL", "LOG_LEVEL", "PORT"]);
  });
});
