"""A city of any size up to 1,000,000 enterprises, made one enterprise at a time and
loaded streaming through the departments' own ingest path (docs/benchmarks.md).

``enterprise(seed, i)`` is a pure function of the seed and the index: any slice of the
city is the same whenever and wherever it is made, nothing is remembered between
enterprises, and every identifier is unique by construction, not by a set of those
taken (which for five million people would not fit in bounded memory):

- a USCC carries the enterprise's index in its organisation code (``MC`` and seven
  characters of the USCC alphabet; the demo city's are ``MA7…``, the golden ones'
  ``MA2…``);
- an ID number is the person's index through a bijection onto the codes of households
  registered in 14 other counties of Zhejiang (the city's people come from elsewhere
  too; the demo city's and the golden ones are born in the city), a birth date from
  1966 to 2004, and a sequence number.

Each enterprise has 1 to 10 employees (5.5 on average) and the department facts the
demo city has (``demo.tax_year``, ``demo.unemployment_insurance``): about two in three
qualify for the job retention refund (``demo.job_retention_policy``; 64% of the first
5,000).

``python -m qinqing_devtools.bigcity --enterprises N`` loads the city into a running
platform (``make run``'s by default): each department sends its records in batches, one
slice of the city at a time, and the run prints enterprises per second.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from qinqing_devtools import feeds
from qinqing_devtools.city import DISTRICTS
from qinqing_devtools.demo import (
    DEGREES,
    GIVEN,
    INDUSTRIES,
    SURNAMES,
    tax_year,
    unemployment_insurance,
)
from qinqing_devtools.platform import Platform
from qinqing_shared.ids import USCC_CHARSET, id_check_char, uscc_check_char

MAX_ENTERPRISES = 1_000_000
EMPLOYEES_MAX = 10  # 1 to 10 each: 5.5 on average
# where the city's people were born, by household registration (GB/T 2260): counties of
# Ningbo, Wenzhou, Jiaxing, Huzhou, Shaoxing, Jinhua, Quzhou, Zhoushan, Taizhou, Lishui
BIRTHPLACES = [
    "330203", "330205", "330302", "330303", "330402", "330411", "330502",
    "330503", "330602", "330702", "330802", "330902", "331002", "331102",
]  # fmt: skip
BORN_FROM = dt.date(1966, 1, 1)
BIRTH_DAYS = 14_000  # to 2004-04-30
SEQUENCES = 1_000
PEOPLE = len(BIRTHPLACES) * BIRTH_DAYS * SEQUENCES  # 196 million ID numbers
# a multiplier coprime to PEOPLE: person i gets number (i * STRIDE) mod PEOPLE, so
# neighbours are born far apart and no two people share a number
STRIDE = 48_271
ORG_DIGITS = 7
AS_OF = dt.date(2026, 10, 31)  # the day the departments' records are as of


def _org(index: int) -> str:
    """The enterprise's index in the USCC alphabet (31 characters), 7 places."""
    digits = []
    for _ in range(ORG_DIGITS):
        index, rest = divmod(index, len(USCC_CHARSET))
        digits.append(USCC_CHARSET[rest])
    return "".join(reversed(digits))


def uscc(district: str, index: int) -> str:
    body = "91" + district + "MC" + _org(index)
    return body + uscc_check_char(body)


def id_number(person: int) -> tuple[str, str, dt.date]:
    """The person's ID number, birthplace and birth date, one to one with the index."""
    code = person * STRIDE % PEOPLE
    place, rest = divmod(code, BIRTH_DAYS * SEQUENCES)
    day, sequence = divmod(rest, SEQUENCES)
    born = BORN_FROM + dt.timedelta(days=day)
    body = BIRTHPLACES[place] + born.strftime("%Y%m%d") + f"{sequence:03d}"
    return body + id_check_char(body), BIRTHPLACES[place], born


def _person(rng: random.Random, index: int) -> dict[str, Any]:
    number, birthplace, born = id_number(index)
    degree = rng.choice(DEGREES)
    study = {"high_school": 18, "college": 21, "bachelor": 22, "master": 25, "doctor": 28}
    graduated = min(born.year + study[degree] + rng.randrange(0, 3), 2026)
    return {
        "id_number": number,
        "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
        "birth_date": born.isoformat(),
        "household_district": birthplace,
        "education": {"degree": degree, "graduation_year": graduated},
        "social_insurance_months_in_city": rng.randrange(0, 120),
        "owns_home_in_city": rng.random() < 0.3,
    }


def enterprise(seed: int, index: int) -> dict[str, Any]:
    """Enterprise ``index`` (0 ≤ index < 1,000,000) of the city ``seed`` makes."""
    if not 0 <= index < MAX_ENTERPRISES:
        raise ValueError(f"a city has at most {MAX_ENTERPRISES:,} enterprises")
    rng = random.Random(f"{seed}:{index}")
    district = rng.choice(DISTRICTS)[0]
    code = uscc(district, index)
    staff = rng.randint(1, EMPLOYEES_MAX)
    employees = [_person(rng, index * EMPLOYEES_MAX + j) for j in range(staff)]
    status = rng.choices(["active", "revoked", "deregistered"], [95, 3, 2])[0]
    return {
        "uscc": code,
        "name": f"Hangzhou City Enterprise No. {index:07d} Co., Ltd.",
        "district_code": district,
        "industry_code": rng.choice(INDUSTRIES),
        "registered_on": (dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))).isoformat(),
        "status": status,
        "bank_account": {"bank": "Bank of Hangzhou", "account_no": f"6228{index:010d}"},
        "legal_representative": employees[0]["id_number"],
        "employees": employees,
        **tax_year(code, status),
        **unemployment_insurance(code, status, staff),
    }


def slices(seed: int, size: int, per_slice: int) -> Iterator[list[dict[str, Any]]]:
    """The city in slices of ``per_slice`` enterprises: one slice is held at a time."""
    if not 0 <= size <= MAX_ENTERPRISES:
        raise ValueError(f"a city has at most {MAX_ENTERPRISES:,} enterprises")
    for start in range(0, size, per_slice):
        yield [enterprise(seed, i) for i in range(start, min(start + per_slice, size))]


@dataclass
class Loaded:
    enterprises: int
    records: int
    refused: int
    seconds: float
    peak_rss_mib: float

    @property
    def per_second(self) -> float:
        return self.enterprises / self.seconds if self.seconds else 0.0


async def load(
    identity_url: str,
    auth_of: Any,
    seed: int,
    size: int,
    per_slice: int = 500,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Loaded:
    """Each department sends the city's records through identity-svc's batch ingest,
    slice after slice (``auth_of(client_id)`` gives a department's credentials)."""
    started, records, refused = time.monotonic(), 0, 0
    for found in (feeds.records(s, AS_OF) for s in slices(seed, size, per_slice)):
        records += sum(len(r) for r in found.values())
        refused += sum((await feeds.send(identity_url, auth_of, found, transport)).values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Loaded(size, records, refused, time.monotonic() - started, peak)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="qinqing-bigcity", description=__doc__)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--var", type=Path, default=Path("var"), help="make run's folder")
    parser.add_argument("--slice", type=int, default=500)
    args = parser.parse_args(argv)
    platform = Platform(var=args.var)  # the running platform's ports and demo clients
    identity = platform.url("identity-svc")
    done = asyncio.run(load(identity, platform.auth, args.seed, args.enterprises, args.slice))
    print(
        f"loaded {done.enterprises:,} enterprises ({done.records:,} records, "
        f"{done.refused} refused) in {done.seconds:.1f} s: {done.per_second:.0f} enterprises/s; "
        f"loader peak RSS {done.peak_rss_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
