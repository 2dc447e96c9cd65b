"""The GraphQL schema: root types, mutations and the request limits."""

from __future__ import annotations

import strawberry
from strawberry.extensions import MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from api.graphql.extensions import IntrospectionForMembers, OperationTracing, RequestLimits
from api.graphql.mutations import (
    assign_role, create_api_key, create_project, create_staff, create_user, login, logout, refresh_token,
    reveal_staff_phone, revoke_api_key, revoke_role,
)
from api.graphql.queries import Query
from api.graphql.types.project import Project

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2_000
MAX_BATCH = 10


@strawberry.type
class Mutation:
    login = login.login
    refresh_token = refresh_token.refresh_token
    logout = logout.logout
    create_project = create_project.create_project
    create_staff = create_staff.create_staff
    create_user = create_user.create_user
    assign_role = assign_role.assign_role
    revoke_role = revoke_role.revoke_role
    create_api_key = create_api_key.create_api_key
    revoke_api_key = revoke_api_key.revoke_api_key
    reveal_staff_phone = reveal_staff_phone.reveal_staff_phone


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        # The view codes every error and logs internal ones; client mistakes are not noise.
        return None


schema = Schema(
    query=Query,
    mutation=Mutation,
    types=[Project],
    config=StrawberryConfig(batching_config={"max_operations": MAX_BATCH}),
    extensions=[
        # Factories: strawberry builds fresh extension instances per request.
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=512),
        RequestLimits.of(max_depth=MAX_DEPTH, max_aliases=MAX_ALIASES),
        lambda: ValidationCache(maxsize=512),
        IntrospectionForMembers,
        OperationTracing,
    ],
)
