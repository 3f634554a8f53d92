"""Rendering the site's pages and files from the taxonomy (site.py gathers them all).

Kept empty: every module of the package imports its siblings, never the package itself.
"""
