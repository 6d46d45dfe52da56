"""Altair and HTML only: the theme, the offline renderer, one module of charts per topic,
tables and widgets. Nothing here reads raw files or computes what a page glues."""
