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


def test_a_dict_changed_after_it_is_bound_stays_hidden() -> None:
    changes = (
        "opts['random_state'] = 0",
        "opts.update(random_state=0)",
        "opts.setdefault('random_state', 0)",
        "del opts['test_size']",
        "add_seed(opts)",
        "alias = opts",
    )
    for change in changes:
        code = HEAD + f"opts = {{'test_size': 0.3}}\n{change}\na, b = tts(X, y, **opts)\n"
        assert findings_of(code, select=ONLY) == [], change


def test_a_dict_changed_inside_a_function_stays_hidden() -> None:
    code = HEAD + (
        "opts = {'test_size': 0.3}\n\n"
        "def seed_everything():\n"
        "    opts['random_state'] = 0\n\n"
        "a, b = tts(X, y, **opts)\n"
    )
    assert findings_of(code, select=ONLY) == []


def test_a_dict_only_read_stays_visible() -> None:
    code = HEAD + (
        "opts = {'test_size': 0.3}\n"
        "print(len(opts), opts['test_size'], opts.get('shuffle'), 'stratify' in opts, f'{opts}')\n"
        "a, b = tts(X, y, **opts)\n"
    )
    assert findings_of(code, select=ONLY) == [("DET101", 5, 8)]
