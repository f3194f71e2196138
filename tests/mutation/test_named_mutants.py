"""The bugs issue 17 names, each applied to a copy of the code: its tests must fail.

mutmut's full run (``make mutate``) takes long; these twenty mutants run in every CI
pass on SQLite (the copies always run on SQLite, so a second pass would repeat it).
"""

from __future__ import annotations

import os

import pytest

from qinqing_devtools.mutate.named import NAMED, baseline, check_all

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="run once, in the SQLite pass"
)


def test_the_named_tests_pass_on_the_code_as_it_is() -> None:
    assert baseline() == 0


def test_every_named_mutant_is_killed_by_its_tests() -> None:
    verdicts = check_all()
    assert [v.named.name for v in verdicts] == [n.name for n in NAMED]
    alive = [(v.named.name, v.exit_status) for v in verdicts if not v.killed]
    assert alive == []
