"""``briefings import``: a draft review file from a published report (read, extract, suggest
themes, draft, report), and ``briefings schema``. A layer beside ``pipeline/``: it reads the
project's vocabularies and runs the anonymity check through the pipeline's public names, and
nothing in the pipeline imports it."""
