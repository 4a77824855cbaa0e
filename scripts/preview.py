"""The preview server's address (make serve): a port another program holds is
reported in one line before the first build, not as a traceback after it."""
from __future__ import annotations

import socket


def split(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def port_message(addr: str, error: OSError | None = None) -> str:
    host, port = split(addr)
    reason = f"（{error.strerror}）" if error and error.strerror else ""
    reason_en = f" ({error.strerror})" if error and error.strerror else ""
    return (f"{host}:{port} でプレビューを始められません{reason}。ほかのプログラム（別の make serve など）が使っています。"
            f"止めるか、make serve PORT={port + 1} のように別の番号を選んでください。 / "
            f"Cannot start the preview on {host}:{port}{reason_en}: another program (another make serve?) "
            f"is using it; stop it or choose another port, e.g. make serve PORT={port + 1}.")


def address_problem(addr: str) -> str | None:
    """None if the preview can listen on addr, else the one-line message to show."""
    try:
        host, port = split(addr)
    except ValueError:
        return (f"--addr {addr} は「ホスト:番号」の形ではありません（例: 127.0.0.1:8000）。 / "
                f"--addr {addr} is not host:port (e.g. 127.0.0.1:8000).")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # The server sets SO_REUSEADDR too (http.server), so a port in TIME_WAIT is free for both.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as e:
        return port_message(addr, e)
    return None
