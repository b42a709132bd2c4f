"""Spiders. One generic news spider serves every source in the registry."""
