"""Remove what is private from text quoted in a report filed elsewhere.

Three kinds of secrets leak into tracebacks, messages and paths: the
user's home directory (``/home/alice/...`` becomes ``~/...``), the values
of environment variables (a token exported for a private index appears in
an error message verbatim: it becomes ``$NAME``) and credentials in URLs
(``https://user:token@host/`` becomes ``https://***@host/``).
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import os
import re

__all__ = ['MIN_SECRET_LENGTH', 'Redactor']

#: Values of environment variables shorter than this are not redacted:
#: short values (``1``, ``C``, ``true``, a user name) are words that
#: appear in any text, and replacing them would garble it.
MIN_SECRET_LENGTH = 8

#: Variables whose values say nothing private and are common words in
#: text (``HOME`` is redacted as ``~``; the working directory is a path
#: like any other).
_IGNORED = frozenset({
    'HOME', 'PWD', 'OLDPWD', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE',
    'SHELL', 'SHLVL', 'TERM', 'COLORTERM', 'TZ', '_',
})

#: ``scheme://userinfo@``: the userinfo is a credential (a user and a
#: password, or a token alone).
_URL_CREDENTIALS = re.compile(
    r'(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/\s@\'"<>]+@')


@dataclasses.dataclass(frozen=True)
class Redactor:
    """Redact text; callable.

    :param home: the user's home directory (``None``: nothing is
        replaced by ``~``).
    :param environ: the environment whose values are hidden.
    """

    home: str | None = None
    environ: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_environ(cls) -> Redactor:
        """The redactor of the running process: its home, its environment.
        """
        home = os.path.expanduser('~')
        return cls(home=None if home == '~' else home,
                   environ=dict(os.environ))

    def _secrets(self) -> list[tuple[str, str]]:
        found = []
        for name, value in self.environ.items():
            value = value.strip()
            if (name in _IGNORED or name.endswith('_PROMPT')
                    or len(value) < MIN_SECRET_LENGTH
                    or value.isdigit() or value == self.home):
                continue
            found.append((value, f'${name}'))
        # The longest first: a value containing another is replaced whole.
        return sorted(found, key=lambda pair: -len(pair[0]))

    def __call__(self, text: str) -> str:
        """Return ``text`` without credentials, environment values and
        the home directory."""
        if not text:
            return text
        text = _URL_CREDENTIALS.sub(r'\g<scheme>***@', text)
        for value, name in self._secrets():
            if value in text:
                # Whole values only: not the middle of a longer word.
                text = re.sub(rf'(?<!\w){re.escape(value)}(?!\w)',
                              name, text)
        homes = {self.home, os.path.realpath(self.home)} if self.home \
            else set()
        for home in sorted(homes - {'/', ''}, key=len, reverse=True):
            text = re.sub(re.escape(home.rstrip('/')) + r'(?![\w.-])', '~',
                          text)
        return text
