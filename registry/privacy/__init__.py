"""Data export and account closure: asks each app for its part through its privacy.py (like admin.py)."""
