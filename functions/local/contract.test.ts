import { describe, expect, it } from "vitest";
import { createContractChecker } from "./contract.ts";

// The checker the end-to-end tests run on every answer: these are the drifts it must catch.

const contract = createContractChecker();
const item = {
  id: 1,
  title: "Bruschetta",
  price: "5.50",
  featured: false,
  category: { id: 2, slug: "starters", title: "Starters" },
  description: "",
};
const problem = { type: "about:blank#not-found", title: "Not Found", status: 404, detail: "No such item." };
const json = "application/json";

describe("the OpenAPI contract checker", () => {
  it("accepts answers the document describes", () => {
    expect(() => contract.check("GET", "/api/menu-items/1", 200, json, item)).not.toThrow();
    expect(() =>
      contract.check("GET", "/api/menu-items/1/", 404, "application/problem+json", problem),
    ).not.toThrow();
    expect(() => contract.check("DELETE", "/api/menu-items/1", 204, null, null)).not.toThrow();
    const page = { count: 1, count_exact: true, next: null, previous: null, results: [item] };
    expect(() => contract.check("GET", "/api/menu-items?page=1", 200, json, page)).not.toThrow();
  });

  it("refuses a field the document does not have, a missing one, and a wrong type", () => {
    expect(() => contract.check("GET", "/api/menu-items/1", 200, json, { ...item, secret: 1 })).toThrow(
      /additional/,
    );
    const { price: _, ...noPrice } = item;
    expect(() => contract.check("GET", "/api/menu-items/1", 200, json, noPrice)).toThrow(/price/);
    expect(() => contract.check("GET", "/api/menu-items/1", 200, json, { ...item, price: 5.5 })).toThrow(
      /string/,
    );
  });

  it("refuses a status the operation does not document, and a body where none is documented", () => {
    expect(() => contract.check("GET", "/api/menu-items/1", 418, json, {})).toThrow(/not documented/);
    expect(() => contract.check("GET", "/api/menu-items/1", 201, json, item)).toThrow(/not documented/);
    expect(() => contract.check("DELETE", "/api/menu-items/1", 204, json, { deleted: true })).toThrow(/none/);
  });

  it("refuses an error that is not a problem document, and a path the document does not know unless 404", () => {
    expect(() => contract.check("GET", "/api/menu-items/1", 404, json, { error: "x" })).toThrow(
      /content type/,
    );
    expect(() =>
      contract.check("GET", "/api/menu-items/1", 404, "application/problem+json", { error: "x" }),
    ).toThrow(/match/);
    expect(() => contract.check("GET", "/api/unknown", 200, json, {})).toThrow(/not in the document/);
    expect(() =>
      contract.check("GET", "/api/unknown", 404, "application/problem+json", problem),
    ).not.toThrow();
  });
});
