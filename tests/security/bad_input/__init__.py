"""Helpers of the hostile-input tests (tests/security/test_bad_input_*.py)."""
