"""The stateful mock servers: one shared framework, one mock per vendor API."""
