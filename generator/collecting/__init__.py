"""``briefings collect``: many boards' published learning (their ``learning.json``) gathered into
one site, a national library of learning."""
