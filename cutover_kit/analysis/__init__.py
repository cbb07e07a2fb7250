"""Analysis across rehearsals: window selection, rates with intervals, transitions, readiness.

Pure functions of the API's frames (``Corpus.gate_frame`` and friends) and the policy: they never
read evidence themselves, so a trend review costs one ingest however many views it shows.
"""
