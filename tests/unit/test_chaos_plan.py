"""How ``make chaos`` shares the demo enterprises between its parts."""

from __future__ import annotations

from qinqing_devtools.chaos_main import split_enterprises


def test_each_bank_mode_gets_enterprises_the_long_run_never_uses() -> None:
    usccs = [f"E{i}" for i in range(2994)]
    main, banks = split_enterprises(usccs, parts=6, size=200)
    assert [len(group) for group in banks] == [200] * 6
    assert len(main) == 2994 - 1200
    everyone = main + [u for group in banks for u in group]
    assert sorted(everyone) == sorted(usccs)  # disjoint, and nobody left out


def test_small_cities_keep_half_for_the_long_run() -> None:
    main, banks = split_enterprises([f"E{i}" for i in range(100)], parts=6, size=200)
    assert len(main) >= 50
    assert all(len(group) == 8 for group in banks)


def test_no_bank_modes_leaves_everyone_to_the_long_run() -> None:
    usccs = ["A", "B", "C"]
    assert split_enterprises(usccs, parts=0, size=200) == (usccs, [])
