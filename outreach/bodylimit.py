"""The request size limit (MAX_CONTENT_LENGTH) for bodies sent without a Content-Length.

Werkzeug checks a declared Content-Length against the limit, but a chunked body it only reads up
to the limit and then stops, silently: `request.get_data()` gets the first MAX_CONTENT_LENGTH
bytes and no 413. This middleware reads such a body first, at most one byte past the limit, and
hands the app a body of known length, so Werkzeug's own check answers 413 (through the app's
error handlers: HTML, or problem+json on the API) when it is too long."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

READ_SIZE = 64 * 1024


def _read_at_most(stream: Any, size: int) -> bytes:
    out = bytearray()
    while len(out) < size:
        data = stream.read(min(READ_SIZE, size - len(out)))
        if not data:
            break
        out.extend(data)
    return bytes(out)


class ChunkedBodyLimit:
    """WSGI middleware: a chunked request's body is read (up to the limit and one byte) before
    the app runs, and given to it with its Content-Length."""

    def __init__(self, wsgi_app: Callable, config: Mapping[str, Any]) -> None:
        self.wsgi_app = wsgi_app
        self.config = config  # read at each request: the limit may be set after start-up

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        limit = self.config.get("MAX_CONTENT_LENGTH")
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        # Only a server that ends the body itself (it sets wsgi.input_terminated, as Werkzeug,
        # Gunicorn and Waitress do for chunked bodies) can be read without a length; otherwise
        # Werkzeug gives the app an empty body, which is safe as it is.
        terminated = environ.get("wsgi.input_terminated")
        # A Content-Length beside "chunked" is ignored (RFC 9112 6.3, and Werkzeug), so it is
        # replaced by the length read: a short false one cannot slip a long body past the limit.
        if limit is not None and chunked and terminated:
            body = _read_at_most(environ["wsgi.input"], limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            # De-chunked now: Werkzeug ignores a Content-Length beside "chunked".
            del environ["HTTP_TRANSFER_ENCODING"]
        return self.wsgi_app(environ, start_response)
