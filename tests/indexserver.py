"""A real package index for tests: a simple-API server on 127.0.0.1.

Serves PEP 691 JSON (or PEP 503 HTML) project pages and files from memory,
so index behaviour -- and installers resolving from it -- are tested
without the network.
"""

from __future__ import annotations

from collections.abc import Mapping
import hashlib
import http.server
import json
import pathlib
import threading
from typing import Any

import fixtures

from symbiosis.config import Config
from tests import base

__all__ = ['JSON_TYPE', 'Index', 'LocalIndexTestCase']

JSON_TYPE = 'application/vnd.pypi.simple.v1+json'


class Index:
    """A tiny simple-API server on 127.0.0.1 serving in-memory routes."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []
        self.auth: str | None = None
        self.published: dict[str, dict[str, str | None]] = {}
        #: Requests answered ``304 Not Modified`` (their paths).
        self.not_modified: list[str] = []
        index = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer(body=True)

            def do_HEAD(self) -> None:
                # Installers ask for headers first (range requests).
                self._answer(body=False)

            def _answer(self, body: bool) -> None:
                index.requests.append(self.path)
                if index.auth is not None and (
                    self.headers.get('Authorization') != index.auth
                ):
                    self.send_error(401)
                    return
                status, ctype, data = index.routes.get(
                    self.path, (404, 'text/plain', b'not found')
                )
                # Pages carry an ETag, as real indexes' do; asked with
                # If-None-Match and unchanged, they are a bodiless 304.
                etag = (f'"{hashlib.sha256(data).hexdigest()[:20]}"'
                        if status == 200 and self.path.startswith(
                            '/simple/') else None)
                if etag is not None and self.headers.get(
                        'If-None-Match') == etag:
                    index.not_modified.append(self.path)
                    self.send_response(304)
                    self.send_header('ETag', etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header('Content-Type', ctype)
                self.send_header('Content-Length', str(len(data)))
                if etag is not None:
                    self.send_header('ETag', etag)
                self.end_headers()
                if body:
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(
            ('127.0.0.1', 0), Handler
        )
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={'poll_interval': 0.05},
            daemon=True,
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f'http://{host!s}:{port}'

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def add_file(self, path: pathlib.Path) -> str:
        """Serve ``path`` under /files/; return its sha256."""
        data = path.read_bytes()
        self.routes[f'/files/{path.name}'] = (
            200,
            'application/octet-stream',
            data,
        )
        return hashlib.sha256(data).hexdigest()

    def add_json_page(
        self, name: str, files: Mapping[str, str | None]
    ) -> None:
        entries = [
            {
                'filename': fn,
                'url': f'../../files/{fn}',
                'hashes': {'sha256': digest} if digest else {},
            }
            for fn, digest in files.items()
        ]
        body = json.dumps(
            {'meta': {'api-version': '1.0'}, 'name': name, 'files': entries}
        ).encode()
        self.routes[f'/simple/{name}/'] = (200, JSON_TYPE, body)

    def add_json_entries(
        self,
        name: str,
        files: list[dict[str, Any]],
        versions: list[str] | None = None,
    ) -> None:
        """Serve a PEP 691 page of ``files`` entries, as given.

        Each entry needs a ``filename``; ``url`` (under /files/) and empty
        ``hashes`` are added unless given. ``versions`` is the PEP 700
        list, left out when ``None``.
        """
        data: dict[str, Any] = {
            'meta': {'api-version': '1.1'}, 'name': name,
            'files': [dict({'url': f'../../files/{f["filename"]}',
                            'hashes': {}}, **f) for f in files],
        }
        if versions is not None:
            data['versions'] = versions
        self.routes[f'/simple/{name}/'] = (
            200, JSON_TYPE, json.dumps(data).encode())

    def publish(self, *paths: pathlib.Path) -> None:
        """Serve the wheels and sdists ``paths`` on their projects' pages.

        Files accumulate: publishing a new release keeps the earlier ones
        listed, as an index does.
        """
        from packaging.utils import canonicalize_name
        from packaging.utils import parse_sdist_filename
        from packaging.utils import parse_wheel_filename

        for path in paths:
            if path.name.endswith('.whl'):
                name = parse_wheel_filename(path.name)[0]
            else:
                name = parse_sdist_filename(path.name)[0]
            project = canonicalize_name(name)
            files = self.published.setdefault(project, {})
            files[path.name] = self.add_file(path)
            self.add_json_page(project, files)

    def add_html_page(self, name: str, files: Mapping[str, str]) -> None:
        links = ''.join(
            f'<a href="/files/{fn}#sha256={digest}">{fn}</a><br/>\n'
            for fn, digest in files.items()
        )
        body = f'<!DOCTYPE html><html><body>{links}</body></html>'.encode()
        self.routes[f'/simple/{name}/'] = (200, 'text/html', body)


class LocalIndexTestCase(base.TestCase):
    """A test case with an :class:`Index` running and configured."""

    def setUp(self) -> None:
        super().setUp()
        # Never send these requests to a proxy configured on the machine.
        for var in ('no_proxy', 'NO_PROXY'):
            self.useFixture(
                fixtures.EnvironmentVariable(var, '127.0.0.1,localhost')
            )
        self.index = Index()
        self.addCleanup(self.index.stop)

    def config(self, **kwargs: Any) -> Config:
        kwargs.setdefault('index_url', self.index.url + '/simple')
        kwargs.setdefault('cache_dir', self.tmp / 'cache')
        kwargs.setdefault('timeout', 5.0)
        return Config(**kwargs)
