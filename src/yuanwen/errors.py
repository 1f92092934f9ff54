"""The errors the library raises for bad input; the CLI turns each into one line and exit code 2."""


class YuanwenError(Exception):
    """Bad input or usage, described in one line of Simplified Chinese for the user."""


class InputError(YuanwenError):
    """A file that cannot be read as text of the kind it claims to be."""


class NoCommonText(YuanwenError):
    """The reprint and the source share no text worth aligning."""
