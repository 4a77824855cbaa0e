"""Serve a built site on 127.0.0.1 the way a production host would: text
compressed with gzip when the browser asks for it. Page weights and
Lighthouse then see real transfer sizes, not uncompressed files."""
from __future__ import annotations

import functools
import gzip
import http.server
import os
import threading
from contextlib import contextmanager
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".webmanifest")


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real hosts do
    _cache: dict[tuple[str, int], bytes] = {}
    _lock = threading.Lock()

    def log_message(self, *args):
        pass

    def end_headers(self):
        # Revalidate every time: tests always see the current build.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the standard redirect to "dir/"
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()
        body = self._gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)

    def _gzipped(self, path: str) -> bytes:
        key = (path, os.stat(path).st_mtime_ns)
        with self._lock:
            if key not in self._cache:
                # Level 6: what nginx/Apache-style hosts typically use (not the best case of 9).
                self._cache[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
            return self._cache[key]


@contextmanager
def serve(directory: Path, port: int = 0):
    """Yield the base URL ("http://127.0.0.1:PORT/") while serving directory."""
    handler = functools.partial(CompressingHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
