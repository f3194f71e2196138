"""payment-svc: double-entry ledger in integer fen, policy budgets, payouts, bank adapter."""
