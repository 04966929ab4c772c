import type { CategoryRow } from "./category-repository.ts";
import type { MenuItemJoined } from "./repository.ts";

/** A category as the API shows it. */
export interface Category {
  id: number;
  slug: string;
  title: string;
}

/** A menu item as the API shows it: its category nested, money as a two-place string. */
export interface MenuItem {
  id: number;
  title: string;
  price: string;
  featured: boolean;
  category: Category;
  description: string;
}

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
