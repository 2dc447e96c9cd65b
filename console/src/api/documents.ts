// The print and export endpoints take the same bearer token as /graphql, which a plain link cannot
// send: fetch with it, then show the page (or save the file) from a blob.
import { accessToken, refresh } from "./session";
import { ApiError } from "./client";

async function fetchDocument(path: string): Promise<Blob> {
  if (!accessToken()) await refresh();
  let response = await fetch(path, { headers: { authorization: `Bearer ${accessToken() ?? ""}` } });
  if (response.status === 401 && (await refresh())) {
    response = await fetch(path, { headers: { authorization: `Bearer ${accessToken() ?? ""}` } });
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { errors?: { message: string; extensions?: { code?: string } }[] } | null;
    const e = body?.errors?.[0];
    throw new ApiError(e?.extensions?.code ?? "INTERNAL", e?.message ?? `HTTP ${response.status}`);
  }
  return response.blob();
}

export async function openPrint(path: string): Promise<void> {
  const tab = window.open("", "_blank"); // opened within the click, so no popup blocker stops it
  const url = URL.createObjectURL(await fetchDocument(path));
  if (tab) tab.location.href = url; else window.location.href = url;
}

export async function download(path: string, name: string): Promise<void> {
  const url = URL.createObjectURL(await fetchDocument(path));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
