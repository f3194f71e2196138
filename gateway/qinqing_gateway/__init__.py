"""gateway: the public /v1 API and the saga that composes the instant subsidy flow."""
