"""The error class of `db`: a failure to open, write or read, named in words."""


class DatabaseError(Exception):
    """The database cannot be opened, written or read as asked."""
