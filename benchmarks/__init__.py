"""The benchmark of issue 5: our pipeline beside MkDocs + Material, Hugo and Pagefind.

Run it with ``python -m benchmarks --reports 1000 10000`` (or ``nox -s bench``).
It prints figures; it is not a test.
"""
