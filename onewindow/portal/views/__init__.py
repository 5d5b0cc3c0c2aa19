"""Public pages of the portal, one module per area."""
