"""The demo city is deterministic and holds the golden data exactly as given."""

from qinqing_devtools.demo import dataset, golden
from qinqing_shared.ids import validate_id_number, validate_uscc


def test_same_seed_same_city() -> None:
    assert dataset(50, seed=7) == dataset(50, seed=7)


def test_golden_enterprises_and_records_are_included_exactly() -> None:
    city, gold = dataset(50), golden()
    usccs = {e["uscc"]: e for e in city["enterprises"]}
    for enterprise in gold["enterprises"]:
        assert usccs[enterprise["uscc"]] == enterprise
    for record in gold["credit_records"]:
        assert record in city["credit_records"]


def test_the_city_has_its_districts_departments_and_services() -> None:
    city = dataset(10)
    assert len(city["districts"]) == 14
    assert len(city["departments"]) == 53
    assert len(city["services"]) >= 300
    kinds = {s["kind"] for s in city["services"]}
    assert kinds == {"service_item", "subsidy"}


def test_generated_identifiers_are_valid_and_unique() -> None:
    city = dataset(300)
    usccs = [validate_uscc(e["uscc"]) for e in city["enterprises"]]
    ids = [validate_id_number(p["id_number"]) for e in city["enterprises"] for p in e["employees"]]
    assert len(set(usccs)) == len(usccs)
    assert len(set(ids)) == len(ids)
