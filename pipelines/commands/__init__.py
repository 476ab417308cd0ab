"""The subcommands of `newsfacts`, one module each; importing this registers them."""

from pipelines.commands import (  # noqa: F401
    crawl,
    demo,
    entities,
    evaluate,
    export,
    extract,
    ingest,
    query,
    review,
    schedule,
    serve,
    settings,
)
