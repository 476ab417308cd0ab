"""The error class of `db`: a failure to open, write or read, named in words."""


class DatabaseError(Exception):
    """The database cannot be opened, written or read as asked."""


class DatabaseUnwritable(DatabaseError):
    """The database takes no writes for now (lock held past the busy timeout, disk full,
    read-only, I/O error): the unit of work was rolled back; the next would fail too."""
