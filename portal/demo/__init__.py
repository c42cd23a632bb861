"""Realistic Sawahlunto demo data for `make run` and manual testing.

``flask demo load`` runs the steps listed in :data:`portal.demo.steps.STEPS` in order. A feature that brings
its own demo content adds a module here (``portal/demo/<feature>.py``) with a function
``load(context: DemoContext) -> Mapping[str, int]`` that upserts its rows idempotently, commits, and returns
counts such as ``{"created": 3, "updated": 0, "unchanged": 5}``; then it appends one ``DemoStep`` to ``STEPS``.
"""
