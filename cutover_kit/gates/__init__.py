"""The gate engine: evaluate a policy's gates on one rehearsal's evidence."""
