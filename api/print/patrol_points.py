"""GET /print/patrol-points?route=<id>: 巡查点二维码 an A4 sheet of labels, twelve to a page, one per
active point of the route — its name, place, route and project, the QR code holding
`fc:pp:<token>` as inline SVG, and the token's last six characters for a phone without a camera
reader. patrol:manage on the route's project: the codes prove presence, so only those who place
them print them. Same guards and headers as the other printed pages."""

from __future__ import annotations

from typing import Any

import segno
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.types.node import from_global_id
from api.print.routes import _HEADERS, caller, coded, error_response, guarded_read
from api.print.templating import render as render_template
from domain.errors import DomainError, ErrorCode, invalid
from domain.patrols import reads
from domain.patrols.rules import KIND_LABELS, QR_PREFIX, TAIL_LENGTH
from tenants.platform import Platform
from tenants.roles import Permission

PER_PAGE = 12


def qr_svg(token: str) -> Markup:
    # segno writes the SVG from the token alone (base32 letters and digits): markup we made, not
    # data, so it goes in as it is while every name and place stays escaped by the template.
    return Markup(segno.make(f"{QR_PREFIX}{token}", error="m").svg_inline(border=2, omitsize=True))


def render(rows: list[Any]) -> str:
    labels = [{"position": r.position, "name": r.name, "place": r.place, "tail": r.token[-TAIL_LENGTH:], "svg": qr_svg(r.token)}
              for r in rows]
    first = rows[0]
    return render_template("patrol_points.html", route_name=first.route_name, project_name=first.project_name,
                           kind_label=KIND_LABELS[first.kind],
                           sheets=[labels[i:i + PER_PAGE] for i in range(0, len(labels), PER_PAGE)])


def print_patrol_points(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.PATROL_MANAGE, "to print patrol QR codes")
        if isinstance(principal, Response):
            return principal
        try:
            if not (route := request.query_params.get("route")):
                raise invalid("请指定巡查路线 route。Give the route: ?route=<id>.", "route")
            route_id = from_global_id(route, "PatrolRoute", "route")
        except DomainError as e:
            return coded(e)

        async def read(db: Any) -> tuple[Any, list[Any]]:
            return await reads.route(db, route_id), await reads.sheet(db, route_id)

        found: Any = await guarded_read(platform, principal.scope, read)
        if isinstance(found, Response):
            return found
        head, rows = found
        if head is None or not principal.can(Permission.PATROL_MANAGE, head.project_id):
            return error_response(404, ErrorCode.NOT_FOUND, "巡查路线不存在或您无权查看。The route was not found or is not visible to you.")
        if not rows:
            return error_response(404, ErrorCode.NOT_FOUND, "该路线还没有巡查点。The route has no active points to print.")
        return HTMLResponse(render(rows), headers=_HEADERS)

    return endpoint
