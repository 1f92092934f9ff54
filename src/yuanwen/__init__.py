"""yuanwen (原文): prove a reprinted Chinese official text is faithful to its authoritative source."""

__version__ = "0.1.0"
