"""Webhooks: events delivered by HTTPS to systems that cannot speak NATS.

A department registers an endpoint for the subjects it wants; an app registers one for
its own applications' events (a pending answer is followed by a callback). Every
delivery is signed (Standard Webhooks: HMAC-SHA256 with the endpoint's secret over the
message id, timestamp and body), retried with growing waits, sent in order per
endpoint and application, and dead-lettered after its last try. Modules: ``signing``
(the signature), ``addresses`` (which URLs may be registered and called), ``store``
(endpoints and deliveries in the gateway's database), ``dispatch`` (events become
deliveries; deliveries are sent), ``routes`` (the API).
"""
