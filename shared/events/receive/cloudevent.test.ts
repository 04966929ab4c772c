import { describe, expect, it } from "vitest";
import { HttpProblem } from "../../http/http-problem.ts";
import { binaryHeaders, readCloudEvent } from "./cloudevent.ts";

const attributes = {
  specversion: "1.0",
  id: "e-1",
  source: "/tavola/menu",
  type: "tavola.menu.item.deleted",
};

function problemOf(fn: () => unknown): HttpProblem {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error("expected an HttpProblem");
}

describe("the CloudEvents HTTP binding", () => {
  it("round-trips attributes through binary-mode headers, percent-encoding what headers cannot carry", () => {
    const headers = binaryHeaders({ ...attributes, subject: "Crème brûlée 100%", time: undefined });
    expect(headers["ce-subject"]).toBe("Cr%C3%A8me br%C3%BBl%C3%A9e 100%25");
    expect(headers).not.toHaveProperty("ce-time");
    const event = readCloudEvent(new Headers(headers), '{"menuitem_id":3}');
    expect(event).toEqual({
      attributes: { ...attributes, subject: "Crème brûlée 100%", datacontenttype: "application/json" },
      data: { menuitem_id: 3 },
    });
  });

  it("reads structured mode, extensions included", () => {
    const body = JSON.stringify({ ...attributes, knativeerrorcode: 503, data: { menuitem_id: 3 } });
    const event = readCloudEvent(
      new Headers({ "content-type": "application/cloudevents+json; charset=utf-8" }),
      body,
    );
    expect(event.attributes.knativeerrorcode).toBe("503");
    expect(event.data).toEqual({ menuitem_id: 3 });
  });

  it("reads an event without data", () => {
    expect(readCloudEvent(new Headers(binaryHeaders(attributes)), "").data).toBeUndefined();
  });

  it.each([
    ["a batch", { "content-type": "application/cloudevents-batch+json" }, "[]", /Batched/],
    [
      "base64 data",
      { "content-type": "application/cloudevents+json" },
      JSON.stringify({ ...attributes, data_base64: "AA==" }),
      /base64/,
    ],
    [
      "a structured event that is an array",
      { "content-type": "application/cloudevents+json" },
      "[1]",
      /JSON object/,
    ],
    [
      "a nested attribute",
      { "content-type": "application/cloudevents+json" },
      JSON.stringify({ ...attributes, x: { y: 1 } }),
      /not a scalar/,
    ],
    [
      "non-JSON data",
      { ...binaryHeaders(attributes), "content-type": "text/plain" },
      "hello",
      /must be JSON/,
    ],
    ["no source", binaryHeaders({ ...attributes, source: "" }), "{}", /no "source"/],
  ])("rejects %s with a 400", (_label, headers, body, detail) => {
    const problem = problemOf(() => readCloudEvent(new Headers(headers), body));
    expect(problem.status).toBe(400);
    expect(problem.message).toMatch(detail);
  });

  it("refuses to write an attribute name the spec does not allow", () => {
    expect(() => binaryHeaders({ ...attributes, "Bad-Name": "x" })).toThrow(/not a valid/);
  });
});
