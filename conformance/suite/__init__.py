"""What the per-API conformance tests share: the pytest plugin, the per-API context, checks."""
