"""Rate limiting per API key (or per client address without one).

Litestar's middleware counts requests in a window; this subclass also sends the
combined ``RateLimit`` header of the IETF draft and ``Retry-After`` once the window is
spent, so a client knows when to come back. Counts live in the process (a memory
store): with several workers each keeps its own.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.middleware.rate_limit import CacheObject, RateLimitConfig, RateLimitMiddleware

from api.http.auth import bearer_token
from api.services.keys import split_token
from api.settings import Settings

NOT_LIMITED = ["/health", "/docs"]


class StatementsRateLimitMiddleware(RateLimitMiddleware):
    def create_response_headers(self, cache_object: CacheObject) -> dict[str, str]:
        headers = super().create_response_headers(cache_object)
        limit = headers[self.config.rate_limit_limit_header_key]
        remaining = headers[self.config.rate_limit_remaining_header_key]
        reset = headers[self.config.rate_limit_reset_header_key]
        headers["RateLimit"] = f"limit={limit}, remaining={remaining}, reset={reset}"
        if remaining == "0":
            headers["Retry-After"] = reset
        return headers


def client_identity(request: Request[Any, Any, Any]) -> str:
    """The key's prefix when a well-formed bearer token is sent, else the client address."""
    token = bearer_token(request)
    parts = split_token(token) if token else None
    if parts is not None:
        return f"key:{parts[0]}"
    client = request.client
    return f"addr:{client.host if client else 'unknown'}"


def rate_limit_config(settings: Settings) -> RateLimitConfig | None:
    if settings.rate_limit_per_minute <= 0:
        return None
    return RateLimitConfig(
        rate_limit=("minute", settings.rate_limit_per_minute),
        exclude=NOT_LIMITED,
        identifier_for_request=client_identity,
        middleware_class=StatementsRateLimitMiddleware,
    )
