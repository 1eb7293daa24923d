"""Demo and national-scale data sets (to be written)."""


def seed_demo(handouts=None, months=None, seed=2026, echo=print):
    raise NotImplementedError
