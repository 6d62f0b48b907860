"""Contract and conformance suite for vendor customer-profile REST APIs."""

__version__ = "0.1.0"
