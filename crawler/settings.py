"""Scrapy settings for trackwire's crawler: a documented menu of polite defaults.

`crawler.run` overrides a few from trackwire's own settings (TRACKWIRE_*):
the user agent, the delay, robots.txt, the database.
"""

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "trackwire"
SPIDER_MODULES = ["trackwire.crawler.spiders"]
NEWSPIDER_MODULE = "trackwire.crawler.spiders"

# Politeness: obey robots.txt, one request at a time per site, a delay between
# them, adjusted by AutoThrottle to how fast the site answers.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
USER_AGENT = "trackwire/0.1 (+https://github.com/trackwire/trackwire; athletics news research)"

# Robustness: a page may be slow or huge; neither may stall the crawl.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
HTTPERROR_ALLOWED_CODES: list[int] = []

# crawler.polite: robots.txt Crawl-delay, and backing off when a site answers 429/503/403.
# crawler.guard: the fetch policy on every request, redirects included, before robots.txt (100) is asked.
DOWNLOADER_MIDDLEWARES = {
    "trackwire.crawler.guard.PolicyMiddleware": 40,
    "trackwire.crawler.polite.PoliteMiddleware": 560,  # just before RetryMiddleware (550) sees the response
}
# Only the web: the policy drops other schemes first; without these handlers nothing could fetch them
# (Scrapy's FTP handler waited forever on a dead server; its file handler reads the local disk).
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}
# Host names resolved to loopback, private or link-local addresses fail, except the sources' own
# entry-point hosts (TRACKWIRE_ENTRY_HOSTS, set per crawl) or with TRACKWIRE_ALLOW_PRIVATE_ADDRESSES.
if hasattr(_scrapy_defaults, "TWISTED_DNS_RESOLVER"):
    TWISTED_DNS_RESOLVER = "trackwire.crawler.guard.GuardedResolver"
else:  # Scrapy before the setting's rename (#7361)
    DNS_RESOLVER = "trackwire.crawler.guard.GuardedResolver"
TRACKWIRE_ALLOW_PRIVATE_ADDRESSES = False
TRACKWIRE_ENTRY_HOSTS: list[str] = []
TRACKWIRE_MAX_BACKOFF = 120.0  # seconds: the longest wait between two requests to one site
TRACKWIRE_BLOCKED_AFTER = 3  # 403s in a row before a site is left alone for the rest of the run

ITEM_PIPELINES = {
    "trackwire.crawler.pipelines.ExtractPipeline": 100,
    "trackwire.crawler.pipelines.StorePipeline": 300,
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
}
# Scrapy 2.19 starts an HTTP server that runs Python code sent to it (token-protected) and writes
# job files to the user's profile, in every crawl. A nightly crawler has no use for it.
REMOTE_CONTROL_ENABLED = False

LOG_LEVEL = "WARNING"
FEED_EXPORT_ENCODING = "utf-8"
