"""Trusted documents: the console's operations, extracted at build time into a manifest (sha256 →
document), may be sent by hash instead of text — `{"extensions": {"persistedQuery": {"sha256Hash"}}}`
or `{"documentId": "sha256:…"}`. The request is rewritten to carry the text before anything else
reads it, so both the compiled read path and strawberry see an ordinary operation. A request with
its text works as before; a hash the manifest does not know is refused with a code, so a client
can fall back to sending the text."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.errors import TransportCode


class Manifest:
    """The build's manifest, read again when the file changes (a rebuild needs no restart)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: float | None = None
        self._documents: dict[str, str] = {}

    def get(self, sha256: str) -> str | None:
        try:
            stamp = self.path.stat().st_mtime
        except OSError:
            return None
        if stamp != self._stamp:
            self._documents = orjson.loads(self.path.read_bytes())
            self._stamp = stamp
        return self._documents.get(sha256)


def _hash_of(item: object) -> str | None:
    """The document's hash when the item asks by hash instead of text."""
    if not isinstance(item, dict) or item.get("query") is not None:
        return None
    document_id = item.get("documentId")
    if isinstance(document_id, str):
        return document_id.removeprefix("sha256:")
    extensions = item.get("extensions")
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    return sha if isinstance(sha, str) else None


def _expanded(item: object, manifest: Manifest) -> object:
    sha = _hash_of(item)
    if sha is None:
        return item
    document = manifest.get(sha)
    if document is None:
        raise LookupError(sha)
    assert isinstance(item, dict)
    return {k: v for k, v in item.items() if k != "documentId"} | {"query": document}


def _not_found(sha: str) -> JSONResponse:
    message = ("没有此哈希对应的可信文档，请在 query 中发送操作文本。"
               f"No trusted document has the hash {sha[:80]}: send the operation's text in `query` "
               "(the server's console build may be older than the client).")
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": TransportCode.PERSISTED_QUERY_NOT_FOUND.value}}]},
                        status_code=400)


async def expand(request: Request, manifest: Manifest) -> JSONResponse | None:
    """Puts the manifest's text in place of a hash; an answer when the hash is unknown, else None."""
    try:
        if request.method == "GET":
            _expand_query_string(request, manifest)
        elif request.method == "POST" and "application/json" in request.headers.get("content-type", ""):
            await _expand_body(request, manifest)
    except LookupError as e:
        return _not_found(str(e.args[0]))
    return None


def _expand_query_string(request: Request, manifest: Manifest) -> None:
    params = dict(request.query_params)
    if "query" in params or not ("documentId" in params or "extensions" in params):
        return
    try:
        params["extensions"] = orjson.loads(params.get("extensions") or "null")
    except orjson.JSONDecodeError:
        return  # strawberry answers with the coded 400
    if _hash_of(params) is None:
        return
    expanded = _expanded(params, manifest)
    assert isinstance(expanded, dict)
    if expanded["extensions"] is None:
        del expanded["extensions"]
    else:
        expanded["extensions"] = orjson.dumps(expanded["extensions"]).decode()
    request.scope["query_string"] = urlencode(expanded).encode()
    request.__dict__.pop("_query_params", None)


async def _expand_body(request: Request, manifest: Manifest) -> None:
    body = await request.body()
    if b"persistedQuery" not in body and b"documentId" not in body:
        return
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return  # strawberry answers with the coded 400
    expanded = [_expanded(item, manifest) for item in data] if isinstance(data, list) else _expanded(data, manifest)
    if expanded is not data:
        request._body = orjson.dumps(expanded)  # what every later reader of the body gets
