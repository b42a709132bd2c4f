"""Fetching and extraction: Scrapy spiders, items, pipelines and the sources registry."""
