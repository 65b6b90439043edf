"""The access matrix's tables and machinery (the test itself: tests/security/test_access_matrix.py)."""
