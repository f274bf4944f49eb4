"""virin checks (filled in by the rules work)."""
