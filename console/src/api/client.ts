// What pages call: a typed request with the session's token, refreshed once on TOKEN_EXPIRED.
import type { TypedDocumentString } from "../gql/graphql";
import { accessToken, endSession, refresh } from "./session";
import { send, type GqlError } from "./transport";

export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function firstError(errors: GqlError[] | undefined): ApiError | null {
  const e = errors?.[0];
  return e ? new ApiError(e.extensions?.code ?? "INTERNAL", e.message) : null;
}

export async function request<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
  let result;
  try {
    result = await send(doc, variables, accessToken());
  } catch {
    throw new ApiError("NETWORK", "无法连接服务器 · The server cannot be reached");
  }
  let error = firstError(result.errors);
  if (error?.code === "TOKEN_EXPIRED" || (error?.code === "UNAUTHENTICATED" && !accessToken())) {
    if (await refresh()) {
      result = await send(doc, variables, accessToken());
      error = firstError(result.errors);
    } else {
      endSession();
    }
  }
  if (error && !result.data) throw error;
  if (!result.data) throw new ApiError("INTERNAL", "服务器没有返回数据 · No data in the answer");
  return result.data;
}

/** A mutation payload's first typed error as an exception, so forms show it where the user acted. */
export function check<P extends { errors: { code: string; message: string }[] }>(payload: P): P {
  const e = payload.errors[0];
  if (e) throw new ApiError(e.code, e.message);
  return payload;
}
