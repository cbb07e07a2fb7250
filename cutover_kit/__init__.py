"""cutover-kit: turn cutover rehearsal evidence into GO / NO-GO decisions people can trust."""

from cutover_kit._version import __version__

__all__ = ["__version__"]
