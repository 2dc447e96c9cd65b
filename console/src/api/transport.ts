// POST /graphql by trusted-document hash; the text only when the server does not know the hash.
import type { TypedDocumentString } from "../gql/graphql";

export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

export interface GqlResult<T> {
  data?: T | null;
  errors?: GqlError[];
}

type Doc<R, V> = TypedDocumentString<R, V>;

function hashOf(doc: Doc<unknown, unknown>): string | undefined {
  return (doc as unknown as { __meta__?: { hash?: string } }).__meta__?.hash;
}

async function post<R>(body: object, token: string | null): Promise<{ status: number; result: GqlResult<R> }> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify(body) });
  let result: GqlResult<R>;
  try {
    result = (await response.json()) as GqlResult<R>;
  } catch {
    result = { errors: [{ message: `服务器返回 ${response.status}`, extensions: { code: "INTERNAL" } }] };
  }
  return { status: response.status, result };
}

export async function send<R, V>(doc: Doc<R, V>, variables: V, token: string | null): Promise<GqlResult<R>> {
  const hash = hashOf(doc as Doc<unknown, unknown>);
  if (hash) {
    const first = await post<R>({ documentId: hash, variables }, token);
    if (first.result.errors?.[0]?.extensions?.code !== "PERSISTED_QUERY_NOT_FOUND") return first.result;
  }
  return (await post<R>({ query: doc.toString(), variables }, token)).result;
}
