"""A name bound once to a dict literal and passed as ``**name`` is visible: DET101 when it lacks the seed."""

from __future__ import annotations

from lintutil import findings_of

ONLY = {"DET101"}
HEAD = "from sklearn.model_selection import train_test_split as tts\n\n"


def test_a_once_bound_dict_without_the_seed_is_reported() -> None:
    code = HEAD + "opts = {'test_size': 0.3}\na, b = tts(X, y, **opts)\n"
    assert findings_of(code, select=ONLY) == [("DET101", 4, 8)]


def test_a_once_bound_dict_with_the_seed_is_clean() -> None:
    code = HEAD + "opts = {'test_size': 0.3, 'random_state': 0}\na, b = tts(X, y, **opts)\n"
    assert findings_of(code, select=ONLY) == []


def test_a_rebound_or_unknown_dict_stays_hidden() -> None:
    code = HEAD + "opts = {'test_size': 0.3}\nopts = load()\na, b = tts(X, y, **opts)\nc, d = tts(X, y, **other)\n"
    assert findings_of(code, select=ONLY) == []
