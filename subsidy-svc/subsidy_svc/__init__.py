"""subsidy-svc: applications and eligibility decisions with a rule-by-rule trace."""
