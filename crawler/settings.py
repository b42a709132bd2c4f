"""Scrapy settings for trackwire's crawler: a documented menu of polite defaults.

`crawler.run` overrides a few from trackwire's own settings (TRACKWIRE_*):
the user agent, the delay, robots.txt, the database.
"""

BOT_NAME = "trackwire"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

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

ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 100,
    "crawler.pipelines.StorePipeline": 300,
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
}

LOG_LEVEL = "WARNING"
FEED_EXPORT_ENCODING = "utf-8"
