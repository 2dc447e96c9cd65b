import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The trusted documents codegen wrote go into the build, where the server reads them, keyed by
// the bare sha256 (clients may send "sha256:<hex>" as documentId or <hex> as persistedQuery's hash).
function trustedDocuments(): Plugin {
  return {
    name: "trusted-documents",
    apply: "build",
    generateBundle() {
      this.emitFile({
        type: "asset",
        fileName: "persisted-documents.json",
        source: JSON.stringify(Object.fromEntries(Object.entries(
          JSON.parse(readFileSync(resolve(__dirname, "src/gql/persisted-documents.json"), "utf8")) as Record<string, string>,
        ).map(([hash, doc]) => [hash.replace(/^sha256:/, ""), doc]))),
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), trustedDocuments()],
  build: {
    target: "es2022",
    chunkSizeWarningLimit: 4000, // GraphiQL's editor is one large chunk, loaded only at /graphql
    rollupOptions: {
      // GraphiQL's packages carry React-compiler directives the bundle need not keep.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
      input: { index: resolve(__dirname, "index.html"), graphiql: resolve(__dirname, "graphiql.html") },
    },
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8000", ws: true }, "/print": "http://127.0.0.1:8000", "/export": "http://127.0.0.1:8000" },
  },
});
