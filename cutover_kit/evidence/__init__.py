"""The evidence layer: every file of every rehearsal, read once and accounted for.

Its stages, in the order a file goes through them:

1. :mod:`.corpus` lists the rehearsal folders and their files, never leaving the data folder;
   :mod:`.ingest` reads them (through :mod:`.cache` and :mod:`.parallel` when asked).
2. :mod:`.reader` reads one file safely (:mod:`.text`, :mod:`.text_stream`, :mod:`.json_text`),
   tells its family (JSON, JSON lines, TOML, XML, text) and hands it to the first loader of that
   family in the :mod:`.registry` that recognises it. The reader knows no loader by name.
3. The loaders (:mod:`.builtin` registers them: :mod:`.json_loaders` with :mod:`.json_models`,
   :mod:`.session_manifest`, :mod:`.command_log`, :mod:`.junit`, :mod:`.test_reports`,
   :mod:`.records`, :mod:`.transcripts`) turn a file into an :class:`~.model.Extract`, or reject
   it with findings that name the field or line.
4. :mod:`.ledger` gives every rehearsal its identity (:mod:`.rehearsal`) and :mod:`.tables`
   flattens the extracts into DataFrames.

:mod:`.codes` names the layer's vocabulary once: evidence kinds, finding codes, command outcomes
and test-case statuses. Nothing here imports the policy, the gates or anything above them.
"""
