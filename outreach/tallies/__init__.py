"""Monthly tallies of supplies and overdose reports, kept by every write (keep.py), from which the
national returns sum their figures instead of grouping the records themselves."""
