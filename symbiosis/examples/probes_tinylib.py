"""A consumer's probes for tinylib: what our code relies on.

Every top-level ``test_*`` function is a probe. The gate runs them in an
environment with the baseline release, then with the candidate, and
reports what regressed.
"""

import threading

import tinylib


def test_parse_skips_comment_and_blank_lines():
    assert tinylib.parse('# settings\n\na = 1\n') == {'a': '1'}


def test_parse_tolerates_lines_without_separator():
    # Our config files have free-text headers; they must not be fatal.
    assert tinylib.parse('[main]\nkey = value\n') == {'key': 'value'}


def test_parse_error_importable_from_core():
    from tinylib.core import ParseError

    assert issubclass(ParseError, ValueError)


def test_lock_is_reentrant():
    lock = tinylib.Lock()
    done = []

    def worker():
        with lock:
            with lock:
                done.append(True)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    thread.join(timeout=2)
    assert done == [True], 'Lock deadlocked when re-acquired'


def test_render_round_trips():
    text = tinylib.render({'a': '1', 'b': '2'})
    assert tinylib.parse(text) == {'a': '1', 'b': '2'}
