"""API and event contracts between services: the only thing services share about each other."""
