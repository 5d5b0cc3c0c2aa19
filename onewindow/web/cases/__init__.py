"""Staff pages of the case lifecycle (intake, worklist, case search, the case page, notices)."""
