"""Site-wide pages that combine apps: home, the per-role dashboard, the staff desk home, demo data."""
