"""What the notebooks show: one rehearsal section by section (``session``, ``excerpts``) and
analysis across rehearsals: window selection, rates with intervals, transitions, readiness.

The trend views are pure functions of the API's frames (``Corpus.gate_frame`` and friends) and the
policy, so a trend review costs one ingest however many views it shows; only ``excerpts`` opens
evidence files again, to quote the lines a failing gate cites, from inside the rehearsal folder.
"""
