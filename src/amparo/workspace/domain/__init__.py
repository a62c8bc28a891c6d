"""Pure engines of the case workspace (no Django; import-linter checks)."""
