"""Tools for testing and measuring the built book (not used by the book itself)."""
