"""A small HTTP client for the cluster tests: one person's cookies, a source address of its own, no redirects.

Every request opens its own connection to nginx, so round robin spreads consecutive requests over the app
servers; ``host`` of a response is the ``X-Portal-Host`` header (which server answered). Each person sends from
an address of their own on the loopback network (127.x.y.z), as people in different offices would, so the
per-address rate limits count them apart.
"""

from __future__ import annotations

import http.client
import re
import urllib.parse
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie

_HX_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def host(self) -> str:
        return self.headers.get("x-portal-host", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    def __init__(self, base_url: str, source_address: str = "127.0.0.1") -> None:
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.source_address = source_address
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=120, source_address=(self.source_address, 0)
        )
        sent = {"Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    if morsel["expires"] and "1970" in morsel["expires"] or morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        finally:
            connection.close()
        match = _HX_CSRF.search(answer.text) if answer.headers.get("content-type", "").startswith("text/html") else None
        if match:
            self.csrf_token = match.group(1)
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str] | None = None, csrf: bool = True) -> Answer:
        fields = dict(data or {})
        if csrf:
            fields.setdefault("csrf_token", self.csrf_token)
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(self, path: str, field: str, filename: str, content: bytes, mime: str) -> Answer:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.csrf_token}\r\n'.encode(),
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                f"Content-Type: {mime}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        return self.request(
            "POST", path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def login(self, identifier: str, password: str) -> Answer:
        self.get("/masuk")
        answer = self.post("/masuk", {"identifier": identifier, "password": password})
        if answer.status == 302:
            self.get("/pelatihan/saya")  # the CSRF secret is renewed at login: take the new token
        return answer

    def until_other_host(self, path: str, other_than: str, tries: int = 6) -> Answer:
        """GET ``path`` until a server other than ``other_than`` answers; that answer (the very next one it gave)."""
        for _ in range(tries):
            answer = self.get(path)
            if answer.host and answer.host != other_than:
                return answer
        raise AssertionError(f"no server but {other_than} answered {path} in {tries} tries")
