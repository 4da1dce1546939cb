/** A small path router over the History API: the server answers index.html for every non-API path. */
import { useCallback, useEffect, useState } from "react";

export type PageName = "library" | "ask" | "sessions" | "toolkit" | "settings";
export const pageNames: PageName[] = ["library", "ask", "sessions", "toolkit", "settings"];

export interface Route {
  page: PageName;
  /** The rest of the path, decoded (e.g. a session name on /sessions/<name>). */
  detail: string | undefined;
}

export function parseRoute(pathname: string): Route {
  const [first, ...rest] = pathname.split("/").filter(Boolean);
  const page = pageNames.find((name) => name === first) ?? "library";
  let detail: string | undefined;
  if (rest.length > 0) {
    try {
      detail = decodeURIComponent(rest.join("/"));
    } catch {
      detail = undefined;
    }
  }
  return { page, detail };
}

export function routePath(page: PageName, detail?: string): string {
  return detail ? `/${page}/${encodeURIComponent(detail)}` : `/${page}`;
}

export function useRoute(): [Route, (page: PageName, detail?: string) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const onPop = (): void => setRoute(parseRoute(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((page: PageName, detail?: string) => {
    const path = routePath(page, detail);
    if (path !== window.location.pathname) window.history.pushState(null, "", path);
    setRoute({ page, detail });
  }, []);
  return [route, navigate];
}
