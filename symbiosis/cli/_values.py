"""Types of option values: each checks one kind of value.

Given as ``type=`` to :meth:`argparse.ArgumentParser.add_argument`, they
turn a bad value into argparse's one-line error naming the option (exit
code 2) while the options are parsed -- before any work starts.
"""

from __future__ import annotations

import argparse
import math

from symbiosis import exception

__all__ = [
    'exclude_newer',
    'non_negative_days',
    'non_negative_int',
    'positive_int',
    'positive_seconds',
]


def _integer(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise argparse.ArgumentTypeError(
            f'expected a whole number of {minimum} or more, got {text!r}')
    return value


def _number(text: str, *, positive: bool, unit: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        what = 'more than 0' if positive else '0 or more'
        raise argparse.ArgumentTypeError(
            f'expected a number of {unit}, {what}, got {text!r}')
    return value


def positive_int(text: str) -> int:
    """A count of 1 or more (``--workers``)."""
    return _integer(text, 1)


def non_negative_int(text: str) -> int:
    """A count of 0 or more (``--reruns``)."""
    return _integer(text, 0)


def positive_seconds(text: str) -> float:
    """A finite duration in seconds, more than 0 (``--timeout``)."""
    return _number(text, positive=True, unit='seconds')


def non_negative_days(text: str) -> float:
    """A finite age in days, 0 or more (``--max-age``)."""
    return _number(text, positive=False, unit='days')


def exclude_newer(text: str) -> str:
    """A date, a timestamp or a duration (``--exclude-newer``); see
    :func:`symbiosis.gate._inputs.check_exclude_newer`."""
    from symbiosis.gate._inputs import check_exclude_newer

    try:
        return check_exclude_newer(text)
    except exception.InputError as err:
        raise argparse.ArgumentTypeError(str(err)) from err
