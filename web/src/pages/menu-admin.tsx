import { useCallback, useState } from "preact/hooks";
import { type Category, type MenuItem, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Field } from "../components/field.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";
import { useReloaded } from "../use-reloaded.ts";

export function MenuAdmin() {
  const { api } = useApp();
  const [categories, setCategories] = useState<Category[]>([]);
  const [items, setItems] = useState<MenuItem[]>([]);
  const load = useCallback(async () => {
    const [c, i] = await Promise.all([
      api.client.GET("/api/categories", { params: { query: { perpage: 100, ordering: "title" } } }),
      api.client.GET("/api/menu-items", { params: { query: { perpage: 100, ordering: "title" } } }),
    ]);
    setCategories(unwrap(c).results);
    setItems(unwrap(i).results);
  }, [api]);
  const { error, notice, act } = useReloaded(load);

  function addCategory(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const body = { slug: String(data.get("slug")), title: String(data.get("title")) };
    act(`Added the category ${body.title}.`, async () => {
      unwrap(await api.client.POST("/api/categories", { body }));
      form.reset();
    });
  }

  function addItem(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const body = {
      title: String(data.get("title")),
      price: String(data.get("price")),
      category_id: Number(data.get("category")),
      description: String(data.get("description") ?? ""),
    };
    act(`Added ${body.title}.`, async () => {
      unwrap(await api.client.POST("/api/menu-items", { body }));
      form.reset();
    });
  }

  const renameCategory = (c: Category, title: string) =>
    act(`Renamed to ${title}.`, async () =>
      unwrap(
        await api.client.PATCH("/api/categories/{id}", { params: { path: { id: c.id } }, body: { title } }),
      ),
    );
  const deleteCategory = (c: Category) =>
    act(`Deleted the category ${c.title}.`, async () =>
      unwrap(await api.client.DELETE("/api/categories/{id}", { params: { path: { id: c.id } } })),
    );
  const setPrice = (item: MenuItem, price: string) =>
    act(`${item.title} now costs ${price}.`, async () =>
      unwrap(
        await api.client.PATCH("/api/menu-items/{id}", {
          params: { path: { id: item.id } },
          body: { price },
        }),
      ),
    );
  // The API lets several dishes be featured; the item of the day is one, so the others are unset after.
  const feature = (item: MenuItem) =>
    act(`${item.title} is the item of the day.`, async () => {
      const featured = (id: number, value: boolean) =>
        api.client.PATCH("/api/menu-items/{id}", { params: { path: { id } }, body: { featured: value } });
      unwrap(await featured(item.id, true));
      for (const other of items.filter((i) => i.featured && i.id !== item.id))
        unwrap(await featured(other.id, false));
    });
  const deleteItem = (item: MenuItem) =>
    act(`Deleted ${item.title}.`, async () =>
      unwrap(await api.client.DELETE("/api/menu-items/{id}", { params: { path: { id: item.id } } })),
    );

  return (
    <Page title="Edit the menu">
      <p class="notice" role="status">
        {notice}
      </p>
      <Alert message={error} />
      <section aria-labelledby="items-heading">
        <h2 id="items-heading">Dishes</h2>
        <fieldset class="card">
          <legend>Item of the day</legend>
          {items.map((item) => (
            <label key={item.id} class="choice">
              <input type="radio" name="featured" checked={item.featured} onChange={() => feature(item)} />
              {item.title}
            </label>
          ))}
        </fieldset>
        <ul class="lines">
          {items.map((item) => (
            <li key={item.id} class="card line">
              <span class="line-title">
                {item.title} <span class="muted">({item.category.title})</span>
              </span>
              <label for={`price-${item.id}`}>Price of {item.title}</label>
              <input
                id={`price-${item.id}`}
                inputMode="decimal"
                pattern="\d+(\.\d{1,2})?"
                defaultValue={item.price}
                onChange={(e) => setPrice(item, e.currentTarget.value)}
              />
              <button type="button" class="danger" onClick={() => deleteItem(item)}>
                Delete <span class="visually-hidden">{item.title}</span>
              </button>
            </li>
          ))}
        </ul>
        <form class="card" onSubmit={addItem}>
          <h3>Add a dish</h3>
          <Field label="Title" name="title" id="new-item-title" required />
          <Field
            label="Price"
            name="price"
            id="new-item-price"
            inputMode="decimal"
            pattern="\d+(\.\d{1,2})?"
            required
          />
          <div class="field">
            <label for="new-item-category">Category</label>
            <select id="new-item-category" name="category" required>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </select>
          </div>
          <Field label="Description" name="description" id="new-item-description" />
          <button type="submit">Add dish</button>
        </form>
      </section>
      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Categories</h2>
        <ul class="lines">
          {categories.map((c) => (
            <li key={c.id} class="card line">
              <label for={`category-${c.id}`}>Title of {c.slug}</label>
              <input
                id={`category-${c.id}`}
                defaultValue={c.title}
                onChange={(e) => renameCategory(c, e.currentTarget.value)}
              />
              <button type="button" class="danger" onClick={() => deleteCategory(c)}>
                Delete <span class="visually-hidden">{c.title}</span>
              </button>
            </li>
          ))}
        </ul>
        <form class="card" onSubmit={addCategory}>
          <h3>Add a category</h3>
          <Field label="Slug" name="slug" id="new-category-slug" pattern="[a-z0-9-]+" required />
          <Field label="Title" name="title" id="new-category-title" required />
          <button type="submit">Add category</button>
        </form>
      </section>
    </Page>
  );
}
