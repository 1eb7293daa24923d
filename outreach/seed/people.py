"""The made-up people behind generated client codes: each one's code (initials, birth date and
sex, kept as its keyed hash), and the age band and sex that their records carry."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from outreach.clientcode import code_digest, keyed_hash
from outreach.demographics import age_band
from outreach.seed import draw

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class People:
    """Person i has the code hashes[i], was born on born[i] and is of sex sex[i]."""

    hashes: np.ndarray  # object: keyed client-code hashes
    born: np.ndarray  # datetime64[D]
    sex: np.ndarray  # object: F, M or X

    def numbers(self, hashes: np.ndarray) -> np.ndarray:
        """Each hash's person number, -1 for None or a code of no one here."""
        index = {code: i for i, code in enumerate(self.hashes.tolist())}
        return np.array([index.get(code, -1) for code in hashes.tolist()], dtype=np.int64)

    def carried(self, person: np.ndarray, when: np.ndarray) -> dict:
        """The client code, age band (on the record's day) and sex of each row's person; None
        for rows without one (person -1). The band follows demographics.age_band, as the
        tablet's does, so a person moves up a band on a birthday. The day is the UTC one: a
        band that turns an hour or two early or late is invisible in made-up data."""
        rows = np.flatnonzero(person >= 0)
        births = self.born[person[rows]].tolist()
        days = when[rows].astype("datetime64[D]").tolist()
        bands = [age_band(b, d) for b, d in zip(births, days, strict=True)]
        return {
            "client_hash": _at(rows, self.hashes[person[rows]], len(person)),
            "age_band": _at(rows, bands, len(person)),
            "sex": _at(rows, self.sex[person[rows]], len(person)),
        }


def _at(rows: np.ndarray, values, n: int) -> np.ndarray:
    """An object column of n rows holding `values` at `rows` and None elsewhere."""
    out = np.full(n, None, dtype=object)
    out[rows] = values
    return out


def make_people(rng: np.random.Generator, first_seen: np.ndarray, key: str) -> People:
    """One person per entry of `first_seen` (the time of their first supply): an age then drawn
    from draw.AGE_AT_FIRST_SUPPLY, a sex from draw.SEXES, random initials, and their code."""
    n = len(first_seen)
    shares, youngest, oldest = np.array(list(draw.AGE_AT_FIRST_SUPPLY.values())).T
    band = rng.choice(len(shares), size=n, p=draw.probs(shares))
    years = youngest[band] + rng.random(n) * (oldest[band] + 1 - youngest[band])
    age = (years * DAYS_PER_YEAR).astype(np.int64).astype("timedelta64[D]")
    born = first_seen.astype("datetime64[D]") - age
    sex = draw.choice(rng, draw.SEXES, n)
    letters = np.array(list("ABCDEFGHIJKLMNOPRSTWY"))
    initials = np.char.add(letters[rng.integers(0, 21, n)], letters[rng.integers(0, 21, n)])
    hashes = [
        keyed_hash(code_digest(i, b, s, key), key)
        for i, b, s in zip(initials.tolist(), born.tolist(), sex.tolist(), strict=True)
    ]
    return People(np.array(hashes, dtype=object), born, sex)


def link_clients(rng, coded, first, org, country, when, relabel: list[np.ndarray]) -> np.ndarray:
    """Person numbers for coded rows: each first supply is a new person, each repeat goes to a
    person first supplied in the same org (or, one time in ten, the same country). The columns
    in `relabel` are then moved so that every person's earliest record is their first supply."""
    person = np.full(len(org), -1, dtype=np.int64)
    firsts = np.flatnonzero(coded & first)
    person[firsts] = np.arange(len(firsts))
    repeats = np.flatnonzero(coded & ~first)
    key = np.where(rng.random(len(repeats)) < 0.1, org.max() + 1 + country[repeats], org[repeats])
    first_org, first_country = org[firsts], org.max() + 1 + country[firsts]
    for k in np.unique(key):
        pool = firsts[(first_org == k) | (first_country == k)]
        rows = repeats[key == k]
        if len(pool):
            person[rows] = person[pool[rng.integers(0, len(pool), len(rows))]]
    idx = np.flatnonzero(person >= 0)
    by_time = idx[np.lexsort((when[idx], person[idx]))]
    by_first = idx[np.lexsort(((~first[idx]).astype(np.int8), person[idx]))]
    for column in relabel:
        column[by_time] = column[by_first].copy()
    return person


def first_seen(person: np.ndarray, when: np.ndarray) -> np.ndarray:
    """When each person (numbered from 0 in `person`; -1: none) was first supplied."""
    coded = person >= 0
    seen = np.full(int(person.max(initial=-1)) + 1, np.datetime64("9999-12-31"), when.dtype)
    np.minimum.at(seen, person[coded], when[coded])
    return seen


def new_people(person: np.ndarray) -> np.ndarray:
    """Each person's first row True, their other rows False, rows without a person None: who
    is a new person, as the generator knows it (its rows are in time order and take their ids
    in that order). The seeds still let firsts.refresh_all, the rule, have the last word; when
    it agrees it writes nothing."""
    out = np.full(len(person), None, dtype=object)
    coded = np.flatnonzero(person >= 0)
    out[coded] = False
    _, first = np.unique(person[coded], return_index=True)
    out[coded[first]] = True
    return out
