"""A small client for the YAML language server (npm ``yaml-language-server``, the server behind
VS Code's YAML extension and other editors), speaking its protocol over stdio as an editor does."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}
"""The editor's YAML settings: the schema store is off, so only the schema a file names is used."""


def require_server() -> None:
    """Skip when the server is not installed (``npm install``), except in CI, where that fails."""
    if not SERVER.exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{SERVER} is missing: npm install puts it there")
        pytest.skip("needs yaml-language-server (npm install) and Node.js")


class LanguageServer:
    """One running server: open documents, then read its diagnostics and completions."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})

    def _read(self) -> None:
        assert self.process.stdout is not None
        while True:
            length = 0
            while (line := self.process.stdout.readline().decode("ascii").strip()) != "":
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not length:
                return
            self.messages.put(json.loads(self.process.stdout.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%b" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        asked = self.next_id
        self._send({"id": asked, "method": method, "params": params})
        return self.wait(lambda message: message.get("id") == asked and "method" not in message)["result"]

    def wait(self, wanted: Any, timeout: float = 30) -> dict[str, Any]:
        """The next message ``wanted`` accepts, answering the server's own requests meanwhile."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=0.2)
            except queue.Empty:
                continue
            if message.get("method") == "workspace/configuration":
                self._send({"id": message["id"], "result": [SETTINGS] * len(message["params"]["items"])})
            elif "id" in message and "method" in message:
                self._send({"id": message["id"], "result": None})
            elif wanted(message):
                return message
        raise TimeoutError("the YAML language server did not answer")

    def diagnostics(self, path: Path, text: str) -> list[tuple[int, str]]:
        """Open ``path`` with ``text`` and return the server's findings as (line from 1, message)."""
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}
        )
        published = self.wait(
            lambda message: (
                message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri
            )
        )
        return [(found["range"]["start"]["line"] + 1, found["message"]) for found in published["params"]["diagnostics"]]

    def completions(self, path: Path, line: int, character: int) -> list[dict[str, Any]]:
        """What the server offers to type at (line from 1, character) of an open document."""
        position = {"line": line - 1, "character": character}
        result = self.request("textDocument/completion", {"textDocument": {"uri": path.as_uri()}, "position": position})
        return result["items"] if isinstance(result, dict) else result

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
