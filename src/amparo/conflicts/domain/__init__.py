"""Pure conflict-check engines: name normalisation, variants and matching (no Django)."""
