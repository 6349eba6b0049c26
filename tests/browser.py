"""Headless Chromium for the HTML reports' tests, and a PNG reader.

The browser is the distribution's ``chromium`` (``.ci/run`` installs it
when missing and it can); each call is a real process in its own
process group, killed whole when it outlives its time limit. Tests that
need it skip, saying why, only where no Chromium is installed.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import signal
import struct
import subprocess
import tempfile
import unittest
import zlib

__all__ = ['Browser', 'Png', 'find_chromium', 'read_png']

#: Names the distributions give the browser's program.
NAMES = ('chromium', 'chromium-browser', 'google-chrome')
#: Seconds one browser run may take.
TIMEOUT = 90.0


def find_chromium() -> str | None:
    """The Chromium program on ``PATH`` (``None``: none installed)."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def requires_chromium(test: object) -> object:
    """Skip ``test`` (a TestCase) where no Chromium is installed."""
    return unittest.skipIf(
        find_chromium() is None,
        'no Chromium installed: install the distribution\'s chromium '
        'package (.ci/run does when it runs as root with apt-get)',
    )(test)


class Browser:
    """Runs headless Chromium on files, one process (group) per call."""

    def __init__(self, program: str, workdir: pathlib.Path) -> None:
        self.program = program
        self.workdir = workdir

    def _run(self, page: pathlib.Path, *args: str,
             width: int = 1280, height: int = 900) -> bytes:
        profile = tempfile.mkdtemp(prefix='profile-', dir=self.workdir)
        argv = [
            self.program, '--headless', '--no-sandbox', '--disable-gpu',
            '--no-first-run', '--disable-extensions',
            '--hide-scrollbars', f'--user-data-dir={profile}',
            f'--window-size={width},{height}', *args, page.as_uri(),
        ]
        proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, start_new_session=True,
            cwd=str(self.workdir))
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise AssertionError(
                f'chromium did not finish within {TIMEOUT}s: {argv}'
            ) from None
        finally:
            # Helpers it left behind go with the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            shutil.rmtree(profile, ignore_errors=True)
        if proc.returncode != 0:
            raise AssertionError(
                f'chromium exited {proc.returncode}: '
                f'{err.decode(errors="replace")[-2000:]}')
        return out

    def dump_dom(self, page: pathlib.Path) -> str:
        """The DOM after the page's scripts ran, serialised."""
        return self._run(page, '--dump-dom').decode('utf-8')

    def screenshot(self, page: pathlib.Path, *, width: int = 1280,
                   height: int = 900) -> Png:
        """A screenshot of the page's first ``width`` x ``height``."""
        shot = self.workdir / f'shot-{width}x{height}.png'
        shot.unlink(missing_ok=True)
        self._run(page, f'--screenshot={shot}', width=width, height=height)
        return read_png(shot.read_bytes())


class Png:
    """A decoded 8-bit RGB(A) image: ``pixels[y][x] = (r, g, b)``."""

    def __init__(self, width: int, height: int,
                 pixels: list[list[tuple[int, int, int]]]) -> None:
        self.width = width
        self.height = height
        self.pixels = pixels

    def colours(self) -> dict[tuple[int, int, int], int]:
        """How many pixels have each colour."""
        counts: dict[tuple[int, int, int], int] = {}
        for row in self.pixels:
            for pixel in row:
                counts[pixel] = counts.get(pixel, 0) + 1
        return counts

    def count_near(self, colour: tuple[int, int, int],
                   tolerance: int = 6) -> int:
        """How many pixels are within ``tolerance`` of ``colour``."""
        return sum(
            n for c, n in self.colours().items()
            if all(abs(a - b) <= tolerance
                   for a, b in zip(c, colour, strict=True)))


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(data: bytes) -> Png:
    """Decode a non-interlaced 8-bit RGB or RGBA PNG (what Chromium
    writes), with :mod:`zlib` only."""
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos = 8
    idat = []
    width = height = depth = kind = interlace = 0
    while pos < len(data):
        (length,) = struct.unpack('>I', data[pos:pos + 4])
        tag = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if tag == b'IHDR':
            width, height, depth, kind, _, _, interlace = struct.unpack(
                '>IIBBBBB', body)
        elif tag == b'IDAT':
            idat.append(body)
        elif tag == b'IEND':
            break
    if depth != 8 or kind not in (2, 6) or interlace:
        raise ValueError(f'unsupported PNG: depth {depth}, colour type '
                         f'{kind}, interlace {interlace}')
    channels = 3 if kind == 2 else 4
    raw = zlib.decompress(b''.join(idat))
    stride = width * channels
    previous = bytearray(stride)
    pixels = []
    offset = 0
    for _ in range(height):
        kind_of_filter = raw[offset]
        line = bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind_of_filter == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind_of_filter == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind_of_filter == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind_of_filter == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        pixels.append([
            (line[x], line[x + 1], line[x + 2])
            for x in range(0, stride, channels)])
        previous = line
    return Png(width, height, pixels)
