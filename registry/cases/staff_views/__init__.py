"""The staff desk for cases (/staff/cases/): queue and dashboard, case page and its actions, files, notices.

HTTP only: every change calls a registry.cases service (edits, messaging, merge, evidence, workflow, notices);
every read a selector. MFA is enforced by accounts.middleware for /staff/; non-staff get 403, confidential
cases 404 unless assigned or supervisor.
"""
