import { useCallback, useEffect, useState } from "preact/hooks";

/**
 * A hash router (`/#/menu`): the servers then need no fallback to index.html for the app's routes,
 * and an unknown path stays an API-style 404.
 */
export function useHashRoute(): [string, (route: string) => void] {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  const navigate = useCallback((next: string) => {
    window.location.hash = `#${next}`;
  }, []);
  return [route, navigate];
}

function current(): string {
  return window.location.hash.replace(/^#/, "") || "/";
}
