"""The built web console (console/dist, made by `make console`) at `/`: hashed assets cached for a
year, index.html never, and every other page path answered with index.html so the browser's router
can show it. API paths are never the console's: an unknown one stays a 404."""

from __future__ import annotations

import gzip
import os
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

DIST = Path(os.environ.get("FIRSTCALL_CONSOLE_DIST") or Path(__file__).resolve().parent.parent / "console" / "dist")
IMMUTABLE = "public, max-age=31536000, immutable"  # file names carry their content's hash
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map", ".ttf", ".txt")  # woff2 and images are compressed already
API_PREFIXES = ("graphql", "healthz", "readyz", "print", "export", "inbound", "bridge", "assets")

NOT_BUILT = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Firstcall 控制台</title></head>
<body><h1>控制台尚未构建 · The console is not built</h1>
<p>在项目目录运行 <code>make console</code>（需要 Node.js ≥ 20），然后刷新本页。</p>
<p>Run <code>make console</code> in the project directory (Node.js 20 or later), then reload this page.</p>
<p>The GraphQL API is at <a href="/graphql">/graphql</a>.</p></body></html>"""


def _inside(root: Path, name: str) -> Path | None:
    path = (root / name).resolve()
    return path if path.is_relative_to(root.resolve()) and path.is_file() else None


def html_page(dist: Path, name: str) -> Response:
    """One of the build's HTML entries, always revalidated: it names the current hashed assets."""
    path = dist / name
    if not path.is_file():
        return HTMLResponse(NOT_BUILT, headers={"Cache-Control": "no-cache"})
    return FileResponse(path, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})


@lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """An asset compressed once per build (the key holds its mtime): the console's first load is a
    quarter of its size, and a hashed asset never changes under its name."""
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


def asset_response(request: Request, path: Path) -> Response:
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    if path.suffix in COMPRESSIBLE and "gzip" in request.headers.get("accept-encoding", ""):
        body = _gzipped(path, path.stat().st_mtime_ns)
        media_type = FileResponse(path).media_type
        return Response(b"" if request.method == "HEAD" else body, media_type=media_type,
                        headers={**headers, "Content-Encoding": "gzip", "Content-Length": str(len(body))})
    return FileResponse(path, headers=headers)


def console_routes(dist: Path = DIST) -> list[Route]:
    async def asset(request: Request) -> Response:
        path = _inside(dist / "assets", request.path_params["path"])
        if path is None:
            return PlainTextResponse("Not Found", status_code=404)
        return asset_response(request, path)

    async def page(request: Request) -> Response:
        path: str = request.path_params["path"]
        if path.split("/", 1)[0] in API_PREFIXES:
            return PlainTextResponse("Not Found", status_code=404)
        if "/" not in path and path.endswith((".svg", ".ico", ".png", ".txt")) and (file := _inside(dist, path)):
            return FileResponse(file, headers={"Cache-Control": "public, max-age=3600"})
        return html_page(dist, "index.html")

    return [Route("/assets/{path:path}", asset, methods=["GET", "HEAD"]),
            Route("/{path:path}", page, methods=["GET", "HEAD"])]
