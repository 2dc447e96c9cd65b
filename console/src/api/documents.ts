// The print and export endpoints take the same bearer token as /graphql, which a plain link cannot
// send: fetch with it, then show the page (or save the file) from a blob.
import { accessToken, refresh } from "./session";
import { ApiError } from "./client";

async function authorised(path: string, init: RequestInit = {}): Promise<Response> {
  if (!accessToken()) await refresh();
  const go = () => fetch(path, { ...init, headers: { authorization: `Bearer ${accessToken() ?? ""}` } });
  let response: Response;
  try {
    response = await go();
    if (response.status === 401 && (await refresh())) response = await go();
  } catch {
    throw new ApiError("NETWORK", "无法连接服务器 · The server cannot be reached");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { errors?: { message: string; extensions?: { code?: string } }[] } | null;
    const e = body?.errors?.[0];
    throw new ApiError(e?.extensions?.code ?? "INTERNAL", e?.message ?? `HTTP ${response.status}`);
  }
  return response;
}

async function fetchDocument(path: string): Promise<Blob> {
  return (await authorised(path)).blob();
}

/** A file as the raw body of a POST (the archive upload); the endpoint's JSON answer. */
export async function uploadFile<T>(path: string, file: Blob): Promise<T> {
  return (await (await authorised(path, { method: "POST", body: file })).json()) as T;
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
