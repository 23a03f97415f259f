"""Chinese text tools shared by screening and search (no Django models)."""
