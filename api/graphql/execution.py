"""graphql-core's executor, made to answer only once every resolver it started has settled.

When a non-null field fails while its siblings are still being started, graphql-core nulls the
parent at once and leaves the siblings to finish in the background; when it fails later, it
cancels them. Either way the answer could be out while a sibling still reads the request's
transaction — which the view closes right after the answer. Waiting here keeps the transaction
open for as long as any resolver of the operation (or of one subscription event) runs."""

from __future__ import annotations

import asyncio
from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class SettledExecution(StrawberryGraphQLCoreExecutionContext):
    def execute_operation(self, serially: bool | None = None) -> Any:
        result = super().execute_operation(serially)
        if not self.is_awaitable(result) and not self.background_futures:
            return result
        return self._settled(result)

    async def _settled(self, result: Any) -> Any:
        try:
            return await result if self.is_awaitable(result) else result
        finally:
            while self.background_futures:
                await asyncio.wait(list(self.background_futures))
