import type { CategoryRow } from "./category-repository.ts";
import type { MenuItemJoined } from "./repository.ts";
import type { Category, MenuItem } from "./schemas.ts";

// Rows as the API shows them.

export function toCategory(row: CategoryRow): Category {
  return { id: row.id, slug: row.slug, title: row.title };
}

export function toMenuItem(row: MenuItemJoined): MenuItem {
  return {
    id: row.id,
    title: row.title,
    price: row.price,
    featured: row.featured,
    category: { id: row.category_id, slug: row.category_slug, title: row.category_title },
    description: row.description,
  };
}
