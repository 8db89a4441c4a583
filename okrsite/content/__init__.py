"""The content layer: files read with the place of every value, the typed model, and the rules that hold within and across files.

Imports nothing else of okrsite; everything above it reads the organisation through `folder.load_organisation`.
"""
