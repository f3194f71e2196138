"""The platform's embedded OAuth 2.0 authorization server (client-credentials grant,
RFC 9068 JWT access tokens, JWKS, RFC 8414 metadata, RFC 7009 revocation) and the
enterprises' grants to apps."""
