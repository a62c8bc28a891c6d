"""Pure engines of the cases app (no Django imports)."""
