"""Data, charts and widgets for the book on local-federal immigration cooperation."""
