"""Scrapy settings for newsfacts: polite by default.

robots.txt is obeyed and, unlike Scrapy's own middleware, treated as
"disallow" when it cannot be fetched (RFC 9309: a 5xx or an unreachable
robots.txt defers the host). AutoThrottle adapts the delay per domain; pages
over DOWNLOAD_MAXSIZE are refused (decompressed size included).
"""

BOT_NAME = "newsfacts"
SPIDER_MODULES = ["crawler.spiders"]
USER_AGENT = "newsfacts/0.1 (news figure extraction; +https://github.com/newsfacts/newsfacts)"

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Items of one response processed at once. Our responses yield at most one item, and
# Scrapy starts this many asyncio tasks for every response whatever it yields: the
# default of 100 cost a tenth of the crawl process's time (bench/crawl_bench.py).
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0.5

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = (
    "INFO"  # failures are recorded in the frontier and the run, not logged twice
)
RETRY_AFTER_MAX = 120  # seconds: a Retry-After longer than this fails the page for this run
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.StrictRobotsTxtMiddleware": 100,
    "crawler.middlewares.ConditionalGetMiddleware": 560,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
}
