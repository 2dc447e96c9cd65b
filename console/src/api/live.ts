// One graphql-ws socket per tab for every subscription. It reconnects forever with the current
// access token, and tells its state to the header's indicator (实时/重连中/离线).
import { createClient, type Client } from "graphql-ws";
import { useEffect, useRef, useSyncExternalStore } from "react";
import type { TypedDocumentString } from "../gql/graphql";
import { accessToken, refresh } from "./session";

export type LiveState = "live" | "reconnecting" | "offline";

let state: LiveState = "offline";
let client: Client | null = null;
const watchers = new Set<() => void>();
const reconnectHandlers = new Set<() => void>();
let everConnected = false;

function setState(next: LiveState): void {
  state = next;
  watchers.forEach((fn) => fn());
}

function live(): Client {
  if (client) return client;
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  client = createClient({
    url,
    lazy: false, // open while signed in, so the header tells whether live updates would arrive
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: async () => {
      if (!accessToken()) await refresh();
      return { authorization: `Bearer ${accessToken() ?? ""}` };
    },
    on: {
      connecting: () => everConnected && setState("reconnecting"),
      connected: () => {
        const again = everConnected;
        everConnected = true;
        setState("live");
        if (again) reconnectHandlers.forEach((fn) => fn()); // no replay: whoever listens refetches
      },
      closed: () => setState(navigator.onLine ? "reconnecting" : "offline"),
    },
  });
  return client;
}

export function connectLive(): void {
  live();
}

export function closeLive(): void {
  client?.dispose();
  client = null;
  everConnected = false;
  setState("offline");
}

export function useLiveState(): LiveState {
  return useSyncExternalStore(
    (fn) => {
      watchers.add(fn);
      return () => watchers.delete(fn);
    },
    () => state,
  );
}

/** Calls onEvent for each event of the subscription while the component is mounted;
 * onReconnect after the socket comes back (events in between are not replayed). */
export function useSubscription<R, V>(doc: TypedDocumentString<R, V>, variables: V, onEvent: (data: R) => void,
                                      onReconnect?: () => void): void {
  const handler = useRef(onEvent);
  const again = useRef(onReconnect);
  handler.current = onEvent;
  again.current = onReconnect;
  const key = JSON.stringify(variables);
  useEffect(() => {
    const reconnect = () => again.current?.();
    reconnectHandlers.add(reconnect);
    const stop = live().subscribe<R>(
      { query: doc.toString(), variables: variables as Record<string, unknown> },
      {
        next: (msg) => msg.data && handler.current(msg.data as R),
        error: () => undefined, // the socket retries; the indicator shows it
        complete: () => undefined,
      },
    );
    return () => {
      reconnectHandlers.delete(reconnect);
      stop();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc, key]);
}
