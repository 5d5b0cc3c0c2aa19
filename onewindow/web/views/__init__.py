"""Staff pages, one module per domain."""
