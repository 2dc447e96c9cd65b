// GraphiQL served by the API itself at /graphql: every script from this build, nothing from a CDN.
// It works as the console's signed-in user (same origin, same stored session); a header typed in
// the Headers pane wins.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createClient } from "graphql-ws";
import { createRoot } from "react-dom/client";
import { accessToken, hasStoredSession, refresh } from "../api/session";

async function bearer(): Promise<Record<string, string>> {
  if (!accessToken() && hasStoredSession()) await refresh();
  const token = accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  if (!headers.has("authorization")) Object.entries(await bearer()).forEach(([k, v]) => headers.set(k, v));
  const response = await fetch(input, { ...init, headers });
  if (!hasStoredSession()) return response;
  const body = (await response.clone().json().catch(() => null)) as { errors?: { extensions?: { code?: string } }[] } | null;
  if (body?.errors?.[0]?.extensions?.code === "TOKEN_EXPIRED" && (await refresh())) return sessionFetch(input, init);
  return response;
}

const fetcher = createGraphiQLFetcher({
  url: `${location.origin}/graphql`,
  fetch: sessionFetch,
  wsClient: createClient({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
    lazy: true,
    connectionParams: async () => ({ authorization: (await bearer()).authorization ?? "" }),
  }),
});

const HINT = `# Firstcall GraphQL API
#
# 已在控制台 (/) 登录时，这里以同一用户身份查询。
# Signed in to the console at /? Queries here run as that user.
# Otherwise: run the login mutation, then put
#   {"Authorization": "Bearer <accessToken>"}
# in the Headers pane below.

query Me {
  viewer { user { username displayName } kind permissions }
}
`;

createRoot(document.getElementById("graphiql")!).render(<GraphiQL fetcher={fetcher} defaultQuery={HINT} />);
