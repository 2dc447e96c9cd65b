// The signed-in session: a short-lived access token in memory, the refresh token in localStorage
// (so a reload stays signed in), refreshed silently a minute before the access token expires.
import { graphql } from "../gql";
import { send } from "./transport";

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

const KEY = "firstcall.refreshToken";
let tokens: Tokens | null = null;
let timer: number | undefined;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

export const RefreshDoc = graphql(`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      errors { code message }
    }
  }
`);

export const LogoutDoc = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken) { errors { code message } }
  }
`);

export function accessToken(): string | null {
  return tokens?.accessToken ?? null;
}

export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function hasStoredSession(): boolean {
  return localStorage.getItem(KEY) !== null;
}

export function startSession(next: Tokens): void {
  tokens = next;
  localStorage.setItem(KEY, next.refreshToken);
  window.clearTimeout(timer);
  const wait = new Date(next.accessTokenExpiresAt).getTime() - Date.now() - 60_000;
  timer = window.setTimeout(() => void refresh(), Math.max(wait, 5_000));
  listeners.forEach((fn) => fn());
}

export function endSession(): void {
  tokens = null;
  localStorage.removeItem(KEY);
  window.clearTimeout(timer);
  listeners.forEach((fn) => fn());
}

/** Whether there is an access token, traded for the stored refresh token if need be. */
export async function signedIn(): Promise<boolean> {
  return !!accessToken() || (hasStoredSession() && (await refresh()));
}

/** Trades the stored refresh token for new tokens; false when the session is over. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const stored = localStorage.getItem(KEY);
    if (!stored) return false;
    try {
      const { data } = await send(RefreshDoc, { refreshToken: stored }, null);
      const r = data?.refreshToken;
      if (r?.accessToken && r.refreshToken && r.accessTokenExpiresAt) {
        startSession({ accessToken: r.accessToken, refreshToken: r.refreshToken, accessTokenExpiresAt: r.accessTokenExpiresAt });
        return true;
      }
      endSession();
      return false;
    } catch {
      return false; // offline: keep the session and try again on the next request
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function signOut(): Promise<void> {
  const stored = localStorage.getItem(KEY);
  if (stored) {
    try {
      await send(LogoutDoc, { refreshToken: stored }, tokens?.accessToken ?? null);
    } catch {
      // signed out locally whatever the server says
    }
  }
  endSession();
}
