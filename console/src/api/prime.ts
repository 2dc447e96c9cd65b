// A page's first queries asked before the page renders (as soon as the session has a token) and
// handed to the page's useQuery when it asks for the same document and variables, so nothing is
// fetched twice. A failed prime leaves no trace: the page asks again as it always did.
import type { TypedDocumentString } from "../gql/graphql";
import { request } from "./client";
import { accessToken, onSessionChange } from "./session";

const FRESH_MS = 30_000; // an answer older than this is not what the page means by "now"
const primes = new Map<string, { at: number; answer: Promise<unknown> }>();

const keyOf = (doc: TypedDocumentString<unknown, unknown>, variables: unknown) => `${doc.toString()}\n${JSON.stringify(variables)}`;

onSessionChange(() => {
  if (!accessToken()) primes.clear(); // signed out: nothing asked with the old session is handed on
});

export function prime<R, V>(doc: TypedDocumentString<R, V>, variables: V): void {
  const answer = request(doc, variables).catch(() => null);
  primes.set(keyOf(doc as TypedDocumentString<unknown, unknown>, variables), { at: Date.now(), answer });
}

/** The primed answer for this document and variables (once), else a request of its own. */
export function primedOrRequest<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const key = keyOf(doc as TypedDocumentString<unknown, unknown>, variables);
  const hit = primes.get(key);
  primes.delete(key);
  if (!hit || Date.now() - hit.at > FRESH_MS) return request(doc, variables);
  return (hit.answer as Promise<R | null>).then((r) => r ?? request(doc, variables));
}
