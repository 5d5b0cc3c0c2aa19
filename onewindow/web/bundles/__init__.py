"""Staff bundle pages (一件事): the window's bundle intake, the bundle list and page, notices."""
