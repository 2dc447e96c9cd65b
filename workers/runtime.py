"""Per-process state of a worker: the database platform, created on the actors' event loop."""

from __future__ import annotations

import asyncio
from typing import Any

import dramatiq

from tenants.db import DatabaseUrls
from tenants.platform import Platform
from tenants.settings import Settings, get_settings

_urls: DatabaseUrls | None = None
_settings: Settings | None = None
_platform: Platform | None = None
_lock = asyncio.Lock()
_actors: dict[str, dramatiq.Actor[Any, Any]] = {}


def configure(settings: Settings, urls: DatabaseUrls) -> None:
    global _settings, _urls, _platform
    _settings, _urls, _platform = settings, urls, None


async def platform() -> Platform:
    """One platform per process, bound to the loop the actors run on."""
    global _platform
    async with _lock:
        if _platform is None:
            settings = _settings or get_settings()
            _platform = Platform.create(settings, _urls)
        return _platform


def use_actors(actors: dict[str, dramatiq.Actor[Any, Any]]) -> None:
    """The actors declared on this process's broker, for a consumer that hands work to another actor."""
    global _actors
    _actors = actors


def send(actor_name: str, *args: Any) -> None:
    _actors[actor_name].send(*args)
