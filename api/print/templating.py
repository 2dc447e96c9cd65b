"""The one template environment of the printed pages (api/print/templates/*.html). Autoescape is
on for every template, so a value from the database is escaped by construction — nothing is
escaped by hand, and no template marks data `|safe`. StrictUndefined makes a missing variable
fail the render instead of printing a blank where a name or a date belongs."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

ENV = Environment(
    loader=PackageLoader("api.print", "templates"),
    autoescape=select_autoescape(("html",), default_for_string=True, default=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    auto_reload=False,
)


def render(name: str, **values: Any) -> str:
    return ENV.get_template(name).render(**values)
