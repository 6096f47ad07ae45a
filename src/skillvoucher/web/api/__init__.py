"""The JSON API: /healthz and /api/v1/…, one module per domain."""
