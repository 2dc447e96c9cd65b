// GraphiQL served by the API itself at /graphql: every script from this build, nothing from a CDN.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";

const fetcher = createGraphiQLFetcher({
  url: `${location.origin}/graphql`,
  subscriptionUrl: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
});

const DEFAULT_HEADERS = JSON.stringify({ Authorization: "Bearer <accessToken from the login mutation>" }, null, 2);

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL fetcher={fetcher} defaultHeaders={DEFAULT_HEADERS} />,
);
