import { useEffect, useState } from "preact/hooks";
import { type Category, describe, type MenuItem, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";

export function MenuPage() {
  const { api } = useApp();
  const [categories, setCategories] = useState<Category[]>([]);
  const [category, setCategory] = useState("");
  const [search, setSearch] = useState("");
  const [items, setItems] = useState<MenuItem[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState("");

  useEffect(() => {
    api.client
      .GET("/api/categories", { params: { query: { perpage: 100, ordering: "title" } } })
      .then((r) => setCategories(unwrap(r).results))
      .catch((e) => setError(describe(e)));
  }, [api]);

  useEffect(() => {
    const query = {
      perpage: 100,
      ordering: "title",
      ...(category ? { category } : {}),
      ...(search ? { search } : {}),
    };
    // A newer filter supersedes a slower older answer.
    let current = true;
    api.client
      .GET("/api/menu-items", { params: { query } })
      .then((r) => current && setItems(unwrap(r).results))
      .catch((e) => current && setError(describe(e)));
    return () => {
      current = false;
    };
  }, [api, category, search]);

  async function add(item: MenuItem) {
    setError(undefined);
    try {
      unwrap(await api.client.POST("/api/cart/menu-items", { body: { menuitem: item.id, quantity: 1 } }));
      setNotice(`Added ${item.title} to your cart.`);
    } catch (e) {
      setError(describe(e));
    }
  }

  const featured = items?.find((i) => i.featured);
  return (
    <Page title="Menu" aside={<a href="#/cart">Go to cart</a>}>
      <search>
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for="menu-category">Category</label>
            <select id="menu-category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
              <option value="">All categories</option>
              {categories.map((c) => (
                <option key={c.id} value={c.slug}>
                  {c.title}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="menu-search">Search</label>
            <input
              id="menu-search"
              type="search"
              value={search}
              onInput={(e) => setSearch(e.currentTarget.value)}
              placeholder="e.g. pasta"
            />
          </div>
        </form>
      </search>
      <p class="notice" role="status">
        {notice}
      </p>
      <Alert message={error} />
      {featured && (
        <p class="featured">
          Item of the day: <strong>{featured.title}</strong>
        </p>
      )}
      {items === undefined ? (
        <p role="status">Loading the menu…</p>
      ) : items.length === 0 ? (
        <p>No dishes match.</p>
      ) : (
        <ul class="grid">
          {items.map((item) => (
            <li key={item.id} class="card item">
              <h2>{item.title}</h2>
              <p class="muted">{item.category.title}</p>
              {item.description && <p>{item.description}</p>}
              <p class="price">${item.price}</p>
              <button type="button" onClick={() => add(item)} aria-label={`Add ${item.title} to cart`}>
                Add to cart
              </button>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
