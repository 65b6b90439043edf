"""django-rules permissions of licensing (shared by views, the API and templates)."""

import rules

from accounts.rules import is_brand_member

# Brand members may ask for licenses (once their organization is set up).
rules.add_perm("licensing.request_license", is_brand_member)
