import { useEffect, useState } from "preact/hooks";
import { type Api, describe, type Profile, unwrap } from "./api.ts";
import { Alert } from "./components/alert.tsx";
import { Nav } from "./components/nav.tsx";
import { Context } from "./context.ts";
import { Board } from "./pages/board.tsx";
import { CartPage } from "./pages/cart.tsx";
import { DeadLetters } from "./pages/dead-letters.tsx";
import { Deliveries } from "./pages/deliveries.tsx";
import { Groups } from "./pages/groups.tsx";
import { Login } from "./pages/login.tsx";
import { MenuPage } from "./pages/menu.tsx";
import { MenuAdmin } from "./pages/menu-admin.tsx";
import { Orders } from "./pages/orders.tsx";
import { Register } from "./pages/register.tsx";
import { allowed, homeOf } from "./roles.ts";
import { useHashRoute } from "./router.ts";

const PAGES: Record<string, () => preact.JSX.Element> = {
  "/menu": MenuPage,
  "/cart": CartPage,
  "/orders": Orders,
  "/board": Board,
  "/menu-admin": MenuAdmin,
  "/groups": Groups,
  "/dead-letters": DeadLetters,
  "/deliveries": Deliveries,
};

export function App({ api }: { api: Api }) {
  const [route, navigate] = useHashRoute();
  const [signedIn, setSignedIn] = useState(api.session.signedIn());
  const [me, setMe] = useState<Profile | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => api.session.subscribe(setSignedIn), [api]);
  useEffect(() => {
    setMe(undefined);
    if (!signedIn) return;
    api.client
      .GET("/api/users/me")
      .then((result) => setMe(unwrap(result)))
      .catch((e) => setError(describe(e)));
  }, [api, signedIn]);

  // "/", /login after signing in, or a page of another role: the user's own home.
  const redirect = me && !allowed(me, route) ? homeOf(me) : undefined;
  useEffect(() => {
    if (redirect) navigate(redirect);
  }, [redirect, navigate]);

  let main: preact.JSX.Element;
  if (!signedIn) {
    main = route === "/register" ? <Register /> : <Login />;
  } else if (!me) {
    main = error ? <Alert message={error} /> : <p role="status">Loading…</p>;
  } else if (allowed(me, route)) {
    const Page = PAGES[route]!;
    main = <Page />;
  } else {
    main = <p role="status">Loading…</p>;
  }

  return (
    <Context.Provider value={{ api, me, navigate }}>
      <button type="button" class="skip" onClick={skipToMain}>
        Skip to content
      </button>
      <header class="top">
        <p class="brand">Tavola</p>
        {me && <Nav me={me} route={route} onSignOut={() => api.session.signOut()} />}
      </header>
      <main id="main" tabIndex={-1}>
        {main}
      </main>
    </Context.Provider>
  );
}

/** A button, not a `#main` link: the hash router owns location.hash. */
function skipToMain() {
  document.getElementById("main")?.focus();
}
