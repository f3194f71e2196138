"""Developer tools: demo data and the local platform runner (not deployed)."""
