"""Capturing a rehearsal while it happens: scaffold the session, run and record each command.

``new-session`` writes the ``session.toml`` people fill in (:mod:`.scaffold`); ``capture`` runs
one command in the consumer repo, streams its output to the terminal and to a transcript, and
appends the facts to ``commands.jsonl`` (:mod:`.run`, :mod:`.artifacts`, :mod:`.command`);
``capture-plan`` does that for every required command of the policy (:mod:`.plan`). What is
recorded here is read back by the ledger like any other evidence.
"""
