"""Bank connectors: what payment-svc needs from a bank, and the HTTP connector to one."""
