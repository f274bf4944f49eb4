"""record_checks checks (filled in by the rules work)."""
