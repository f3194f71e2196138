"""``make bench``: the instant path against the limit of its own shape (a reference chain)."""
