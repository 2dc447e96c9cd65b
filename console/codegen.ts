import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed operations from the SDL the server prints (`firstcall schema`); the same run writes the
// trusted-documents manifest (sha256 → document) that the build ships and the server accepts.
const config: CodegenConfig = {
  schema: "../docs/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" },
      },
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: "string", Date: "string", Time: "string", JSON: "unknown", Decimal: "string", Fen: "number", Rate1e4: "number" },
      },
    },
  },
};

export default config;
