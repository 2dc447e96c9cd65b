"""One place where a refused mutation becomes its payload's `errors`: a raised coded error (the
domain's rules and permission refusals, authentication's, the request's) is returned as `Payload(errors=[…])`, with the
same code, message, field and reason. A mutation then only raises; it never catches to shape.

    @strawberry.mutation(permission_classes=[Requires(Permission.ALERT_HANDLE)])
    @user_errors(AlertPayload)
    async def acknowledge_alert(info: Info, alert_id: strawberry.ID, ...) -> AlertPayload: ...

Put it under `@strawberry.mutation`; `functools.wraps` keeps the signature strawberry reads.
Anything else raised (a bug, a lost database) still fails the request as before."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from api.errors import CODED
from api.graphql.types.errors import UserError

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(payload: Callable[..., R], **refused: Any) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """`refused` are further fields of a refused payload, e.g. `ok=False`."""

    def decorate(resolver: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(resolver)
        async def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return await resolver(*args, **kwargs)
            except CODED as e:  # the domain's refusals, authentication's and the request's alike
                return payload(**refused, errors=[UserError.of(e)])

        return run

    return decorate
