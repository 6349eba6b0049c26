"""Errors raised by tinylib."""


class ParseError(ValueError):
    """A line could not be parsed."""
