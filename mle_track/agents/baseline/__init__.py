"""The ``baseline`` agent: a classical solution with no LLM (see :mod:`.run`)."""
