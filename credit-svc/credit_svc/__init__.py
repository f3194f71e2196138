"""credit-svc: credit records per enterprise and the checks that deny or fast-track funds."""
