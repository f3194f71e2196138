"""catalog-svc: districts, departments, services and subsidy policies as data."""
