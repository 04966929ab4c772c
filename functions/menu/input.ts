import { z } from "zod";
import {
  fields,
  type OrderTerm,
  type PageRequest,
  parseOrdering,
  parsePage,
  parsePathId,
  validate,
} from "../../shared/http/index.ts";
import type { MenuItemColumn, MenuItemFilter } from "./repository.ts";

// What the menu routes accept. Unknown keys are dropped by zod: a client that sends `id` or anything
// else the server owns changes nothing with it.

const slug = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(/^[-a-zA-Z0-9_]+$/, "may contain only letters, digits, hyphens and underscores");

const description = z
  .string()
  .trim()
  .max(2000, "must be at most 2000 characters")
  .refine((v) => !fields.hasControlCharacters(v), "must not contain control characters");

// A category id, or the nested object a client read with GET and sends back unchanged on PUT.
const categoryRef = z.union([fields.id, z.object({ id: fields.id }).transform((c) => c.id)]);

const categoryBody = z.object({ slug, title: fields.text(255) });

const itemFields = z.object({
  title: fields.text(255),
  price: fields.money,
  category_id: categoryRef.optional(),
  category: categoryRef.optional(),
  featured: fields.boolean.optional(),
  description: description.optional(),
});

// POST and PUT name a category by either field.
const wholeItem = itemFields.superRefine((v, ctx) => {
  if (v.category_id === undefined && v.category === undefined) {
    ctx.addIssue({ code: "custom", path: ["category_id"], message: "is required" });
  }
});

export type CategoryInput = z.infer<typeof categoryBody>;
export type CategoryChanges = Partial<CategoryInput>;

/** A menu item's fields as the verbs take them; `categoryField` names the field the client used. */
export interface MenuItemChanges {
  title?: string;
  price?: string;
  categoryId?: number;
  categoryField?: "category_id" | "category";
  featured?: boolean;
  description?: string;
}
export type MenuItemInput = MenuItemChanges & { title: string; price: string; categoryId: number };

export function parseCategory(body: unknown): CategoryInput {
  return validate(categoryBody, body);
}

export function parseCategoryChanges(body: unknown): CategoryChanges {
  return validate(categoryBody.partial(), body);
}

/** POST and PUT: title, price and a category are required. */
export function parseMenuItem(body: unknown): MenuItemInput {
  return toChanges(validate(wholeItem, body)) as MenuItemInput;
}

/** PATCH: any subset of the fields. */
export function parseMenuItemChanges(body: unknown): MenuItemChanges {
  return toChanges(validate(itemFields.partial(), body));
}

function toChanges(v: Partial<z.infer<typeof itemFields>>): MenuItemChanges {
  const changes: MenuItemChanges = {};
  if (v.title !== undefined) changes.title = v.title;
  if (v.price !== undefined) changes.price = v.price;
  const categoryId = v.category_id ?? v.category;
  if (categoryId !== undefined) {
    changes.categoryId = categoryId;
    changes.categoryField = v.category_id !== undefined ? "category_id" : "category";
  }
  if (v.featured !== undefined) changes.featured = v.featured;
  if (v.description !== undefined) changes.description = v.description;
  return changes;
}

const itemQuery = z.object({
  category: fields.text(255).optional(),
  featured: fields.boolean.optional(),
  search: fields.text(100).optional(),
  min_price: fields.money.optional(),
  max_price: fields.money.optional(),
  to_price: fields.money.optional(),
});

/** The public ordering fields of each collection and the column each maps to. */
export const ITEM_ORDERING = { price: "price", title: "title", id: "id" } as const;
export const CATEGORY_ORDERING = { id: "id", slug: "slug", title: "title" } as const;

export interface MenuItemQuery {
  filter: MenuItemFilter;
  ordering: OrderTerm<MenuItemColumn>[];
  page: PageRequest;
}

/**
 * Reads the list's query string. An empty parameter (`?search=`) is no filter, as Little Lemon clients
 * send them; `sort` is accepted for `ordering` and `to_price` for `max_price`.
 */
export function parseMenuItemQuery(query: Record<string, string>): MenuItemQuery {
  const given = Object.fromEntries(Object.entries(query).filter(([, value]) => value.trim() !== ""));
  const q = validate(itemQuery, given);
  return {
    filter: {
      category: q.category === undefined ? undefined : { id: parsePathId(q.category), name: q.category },
      featured: q.featured,
      search: q.search,
      minPrice: q.min_price,
      maxPrice: q.max_price ?? q.to_price,
    },
    ordering: parseOrdering(given.ordering ?? given.sort, ITEM_ORDERING),
    page: parsePage(query),
  };
}

export function parseCategoryQuery(query: Record<string, string>) {
  return {
    ordering: parseOrdering(query.ordering ?? query.sort, CATEGORY_ORDERING),
    page: parsePage(query),
  };
}
