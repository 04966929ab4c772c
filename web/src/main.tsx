import { render } from "preact";
import { createApi } from "./api.ts";
import { App } from "./app.tsx";
import { createSession } from "./session.ts";
import "./styles.css";

// The app is served beside the API (same origin): requests go to the page's own origin.
const baseUrl = window.location.origin;
const fetcher = window.fetch.bind(window);
const session = createSession({ storage: window.sessionStorage, baseUrl, fetch: fetcher });
const api = createApi({ session, baseUrl, fetch: fetcher });
render(<App api={api} />, document.getElementById("app")!);
