"""The analysis layer: scores, facts, alignment, change logs and health signals, as pure functions over the model.

It reads no file, process, clock or environment: the date, the git history and the thresholds are given to it.
"""
