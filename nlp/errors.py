"""The one error class of `nlp`: expected failures with a message that names the bad input."""


class NlpError(Exception):
    """Bad configuration or input for the NLP stages (an entity file, a stage order)."""
