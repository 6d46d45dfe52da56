"""What the chapters and pages compute from data/: pure pandas, no drawing.

Modules here read tables through coopbook.load and return frames or numbers that a
chapter glues into its prose or hands to a chart builder. They never import altair,
ipywidgets or IPython (tests/test_layers.py checks).
"""
