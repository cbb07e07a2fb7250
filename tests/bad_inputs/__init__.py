"""A corpus of broken and hostile evidence, written by :mod:`.make_corpus` at test time."""
