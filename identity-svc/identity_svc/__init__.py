"""identity-svc: the registry of enterprises and persons, and department facts."""
