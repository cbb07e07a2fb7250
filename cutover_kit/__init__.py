"""cutover-kit: turn cutover rehearsal evidence into GO / NO-GO decisions people can trust."""

__version__ = "0.1.0"
