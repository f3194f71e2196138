"""Qinqing common library: infrastructure and contracts only, no business logic."""
