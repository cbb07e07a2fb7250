"""Writing a corpus out for engines beyond one machine: a Parquet dataset (see :mod:`.parquet`)."""
