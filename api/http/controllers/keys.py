"""``GET /v1/keys/me``: lets a client check its API key and scopes."""

from __future__ import annotations

from litestar import Controller, Request, get

from api.http.auth import principal_of, require_key
from api.http.problems import problem_responses
from schemas.keys import ApiKeyInfo


class KeyController(Controller):
    path = "/keys"
    tags = ["keys"]
    guards = [require_key()]

    @get(
        "/me",
        operation_id="getCurrentApiKey",
        summary="The API key of this request",
        description="Name and scopes of the bearer key sent with the request. 401 without "
        "a valid key. Useful to check a key before using it for writes.",
        responses=problem_responses(401, 500),
    )
    async def me(self, request: Request) -> ApiKeyInfo:  # type: ignore[type-arg]
        principal = await principal_of(request)
        return ApiKeyInfo(
            id=principal.key_id,
            name=principal.name,
            scopes=sorted(scope.value for scope in principal.scopes),
        )
