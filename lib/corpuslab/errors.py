"""The one exception type for problems a user can fix, and its message builder."""

from __future__ import annotations


class CorpuslabError(Exception):
    """A problem with the user's input or params: the message names it and the fix.

    The CLI prints the message on one line and exits with status 2.
    """


def invalid(what: str, value: object, allowed: str) -> CorpuslabError:
    """Build the error for a bad input: what it is, the bad value, what is allowed.

    Examples
    --------
    >>> str(invalid("topics.k", "abc", "an integer from 2 to 200"))
    "topics.k: got 'abc'; allowed: an integer from 2 to 200"
    """
    return CorpuslabError(f"{what}: got {value!r}; allowed: {allowed}")
