"""The bundled sample corpus: the rehearsal history of the service.v3 cutover, generated.

:func:`cutover_kit.samples.generator.generate_corpus` writes it (``data/rehearsals/`` is its
committed output). The package does not import the generator itself, so that
``python -m cutover_kit.samples.generator`` runs it exactly once. ``data/README.md`` says what
each rehearsal plants and which verdicts the kit should reach.
"""
