"""The one exception type for bad input: the command line prints it as ``error: ...``."""


class InputError(ValueError):
    """The user's input (a path, a file, its metadata, a date) cannot be analysed."""
