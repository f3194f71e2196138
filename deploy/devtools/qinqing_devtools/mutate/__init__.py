"""``make mutate``: mutation testing of the modules where a bug costs money or trust."""
