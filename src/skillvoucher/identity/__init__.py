"""The worker registry and, later, sign-in and roles."""
