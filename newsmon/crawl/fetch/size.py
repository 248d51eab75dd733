"""Read the body of an answer, up to a size limit, and only when it is wanted."""

from __future__ import annotations

from newsmon.crawl.fetch.base import (
    DeadlineExceeded,
    FetchContext,
    FetchError,
    FetchRequest,
    FetchResult,
    Proceed,
)

__all__ = ["BodySizeLimit"]


class BodySizeLimit:
    """Downloads a 200 answer's body (of a wanted type) up to ``max_bytes``; larger ones fail as ``too-large``
    after reporting their headers. Other answers keep an empty body: only their status and headers count.
    A body still arriving at the fetch's deadline is reported (headers only) as ``deadline``."""

    def __init__(self, context: FetchContext, max_bytes: int):
        self.context, self.max_bytes = context, max_bytes

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        result = proceed(request)
        stream, result.stream = result.stream, None
        if stream is None:
            return result
        try:
            media_type = result.content_type.split(";")[0].strip().lower()
            if result.status == 200 and (request.accept_types is None or media_type in request.accept_types):
                declared = result.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_large(request, result, f"Content-Length {declared} is over {self.max_bytes} bytes")
                body = bytearray()
                try:
                    for chunk in stream.iter_bytes():
                        body.extend(chunk)
                        if len(body) > self.max_bytes:
                            raise self._too_large(request, result, f"body over {self.max_bytes} bytes")
                        self.context.check_deadline()
                except DeadlineExceeded:
                    self.context.report(result, "deadline")
                    raise
                result.body = bytes(body)
            return result
        finally:
            stream.close()

    def _too_large(self, request: FetchRequest, result: FetchResult, detail: str) -> FetchError:
        """Report the over-size answer (headers only) and return the error to raise."""
        self.context.report(result, "too-large")
        return FetchError("too-large", request.url, f"{detail}; raise max_body_bytes")
