"""Who is calling and what they may do: OAuth 2.0 JWT access tokens and signed answers.

- ``keys``: key pairs generated at first start and kept in the service's data folder.
- ``tokens``: RFC 9068 JWT access tokens, verified against the issuer's JWKS.
- ``guard``: the FastAPI dependency every route declares (who may call it).
- ``signing``: answers a service signs (a payee account, a payout order, a verdict)
  and its peers verify against the signer's JWKS.
"""
