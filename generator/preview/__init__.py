"""``briefings serve``: the local preview."""
