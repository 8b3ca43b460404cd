"""Ingest: read an export file, map its headers onto a schema, parse and validate every cell
(:func:`parreport.ingest.table.read_table`). ``schema.py`` is the column contract; it is read without pandas.
"""
