"""Who may post to the feedback service: the allowed origins, CORS for them, and the rate limit."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

RATE_WINDOW_SECONDS = 60.0


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) address, lower case and without a default port; else ``None``."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = 80 if scheme == "http" else 443
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default_port else "")


def request_origin(headers: Mapping[str, str]) -> str | None:
    """Where a request says it comes from: its ``Origin``, or the origin of its ``Referer``."""
    if "origin" in headers:
        return origin_of(headers["origin"])
    referer = headers.get("referer")
    return origin_of(referer) if referer else None


class FeedbackCORS(CORSMiddleware):
    """Starlette's CORS middleware for the allowed origins: a response to one of them gets
    ``Access-Control-Allow-Origin``, and its preflight for a ``POST`` (with ``Accept`` and
    ``Content-Type`` headers) is answered 204 with no body; any other preflight gets 403 with no
    ``Access-Control-*`` headers. (The middleware only withholds headers: the service itself
    refuses a post from another origin.)"""

    def __init__(self, app: ASGIApp, allow_origins: list[str]) -> None:
        super().__init__(
            app, allow_origins=allow_origins, allow_methods=["POST"], allow_headers=["Accept", "Content-Type"]
        )

    def preflight_response(self, request_headers: Headers) -> Response:
        """The middleware's own answer to a preflight, as 204 or 403."""
        answer = super().preflight_response(request_headers)
        if answer.status_code != 200:
            return Response(status_code=403, headers={"Vary": answer.headers["vary"]})
        headers = {
            name: value for name, value in answer.headers.items() if name.startswith(("access-control-", "vary"))
        }
        return Response(status_code=204, headers=headers)


class RateLimiter:
    """At most ``per_minute`` requests per key in any window of 60 seconds (a sliding log)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Record a request and return 0, or the seconds until one is allowed (recording nothing)."""
        now = self._clock()
        with self._lock:
            if len(self._hits) > 10_000:
                self._forget_idle(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - RATE_WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return hits[0] + RATE_WINDOW_SECONDS - now
            hits.append(now)
            return 0.0

    def _forget_idle(self, now: float) -> None:
        """Drop the keys with no request in the window, so memory stays bounded."""
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= now - RATE_WINDOW_SECONDS]:
            del self._hits[key]
