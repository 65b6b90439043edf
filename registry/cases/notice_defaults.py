# ruff: noqa: E501
"""The two notice templates the registry starts with (seeded by migration 0002; supervisors edit copies).

Placeholders (Django template language, plain text): {{ reference }}, {{ today }}, {{ recipient_name }},
{{ talent_name }}, {{ registry_id }}, {{ registry_url }}, {{ urls }} (a list), {{ platform }}, {{ seen_on }},
{{ use }}, {{ product_category }}, {{ organization }}, {{ decision }}, {{ basis }}, {{ covered }} (the as-of answer
says the use was permitted or licensed), {{ response_due }}, {{ union_name }}, {{ contact_email }} (the notice's
reply address). The evidence list and the sender's signature are appended to every notice. Facts as published; not legal advice.
"""

TAKEDOWN_SUBJECT = (
    "Notice of unauthorised digital replica / likeness use — {{ talent_name }} ({{ reference }})"
)
TAKEDOWN_BODY = """\
{{ today }}

To: {{ recipient_name }}
Re: Request to remove content that uses the likeness of {{ talent_name }} without consent
Our reference: {{ reference }}

We write on behalf of {{ union_name }} and its member {{ talent_name }} (Likeness Registry ID {{ registry_id }}, \
{{ registry_url }}).

The following content on your service uses the image, voice or other likeness of {{ talent_name }}, or a \
digital replica of them{% if covered %}, and we ask you to review it with us:{% else %}, without their authorisation:{% endif %}
{% for url in urls %}
  - {{ url }}{% endfor %}

The content was seen on {{ seen_on|default:"the date of this notice" }}{% if organization %}, published by or \
for {{ organization }}{% endif %}. Likely use: {{ use }}.
{% if decision %}
The registry's record of {{ talent_name }}'s likeness-use terms, as of that date, gives the following answer \
for this use: {{ decision }}. Basis: {{ basis }}.
{% endif %}
Under your policies for the reporting of unauthorised digital replicas and impersonation, and in the \
notice-and-takedown spirit of the proposed NO FAKES Act, we ask that you:
  1. remove or disable access to the content listed above;
  2. take reasonable steps to prevent the same content from being uploaded again; and
  3. confirm to us at {{ contact_email }} the action you have taken, quoting {{ reference }}.

{% if covered %}The registry's answer above records that this use may be covered; we ask you to review the \
content and tell us on what basis it is published.{% else %}We have a good-faith belief that the use of the \
likeness described above is not authorised by the person concerned, their representative or the law.{% endif %} \
The information in this notice is accurate to the best of our \
knowledge, and we are authorised to act on behalf of the person concerned.

Please respond by {{ response_due }}.
"""

CEASE_SUBJECT = "Cease and desist: unauthorised use of the likeness of {{ talent_name }} ({{ reference }})"
CEASE_BODY = """\
{{ today }}

To: {{ recipient_name }}
Re: Unauthorised use of the likeness of {{ talent_name }}
Our reference: {{ reference }}

We write on behalf of {{ union_name }} and its member {{ talent_name }} (Likeness Registry ID {{ registry_id }}, \
{{ registry_url }}).

It has come to our attention that you{% if organization %} ({{ organization }}){% endif %} have published or \
caused to be published content that uses the image, voice or other likeness of {{ talent_name }}, or a digital \
replica of them, at:
{% for url in urls %}
  - {{ url }}{% endfor %}

The content was seen on {{ seen_on|default:"the date of this letter" }}. Likely use: {{ use }}.
{% if decision %}
{{ talent_name }}'s likeness-use terms, recorded in the registry and in effect on that date, give the following \
answer for this use: {{ decision }}. Basis: {{ basis }}.
{% endif %}
{% if covered %}The registry's answer above records that this use may be covered by {{ talent_name }}'s terms \
or a license; please confirm the license or terms you rely on and that the content stays within them.{% else %}\
{{ talent_name }} has not consented to this use.{% endif %} Creating or using a digital replica of a performer, or \
digitally altering their recorded likeness, requires their informed consent with a reasonably specific \
description of the intended use, and payment.

We therefore demand that you:
  1. immediately cease all use of the likeness of {{ talent_name }} in the content identified above and in any \
other material;
  2. remove the content from every channel where it appears; and
  3. confirm in writing to {{ contact_email }}, quoting {{ reference }}, by {{ response_due }}, that you have done \
so.

If you believe the use is covered by a license or by the talent's registered terms, reply with the license ID \
or the details of the permission you rely on. Licenses can be requested through the Likeness Registry.

This letter is without prejudice to any rights and remedies of {{ talent_name }} and the union, all of which \
are expressly reserved.
"""

DEFAULT_TEMPLATES = [
    {
        "kind": "takedown",
        "name": "Platform takedown request (default)",
        "subject": TAKEDOWN_SUBJECT,
        "body": TAKEDOWN_BODY,
    },
    {
        "kind": "cease_and_desist",
        "name": "Cease-and-desist letter (default)",
        "subject": CEASE_SUBJECT,
        "body": CEASE_BODY,
    },
]

DEFAULT_SLA = [("urgent", 4, 14), ("high", 24, 14), ("normal", 72, 14), ("low", 168, 14)]

# Seeded by migration 0006; staff keep them current in the admin. Public abuse/legal intake addresses.
DEFAULT_PLATFORM_CONTACTS = [
    ("instagram", "Instagram (Meta) IP and impersonation team", "ip@instagram.com", 7),
    ("facebook", "Meta IP and impersonation team", "ip@fb.com", 7),
    ("threads", "Meta IP and impersonation team", "ip@fb.com", 7),
    ("tiktok", "TikTok legal team", "legal@tiktok.com", 7),
    ("youtube", "YouTube legal support", "legal@youtube.com", 10),
    ("x", "X trust and safety", "legal@x.com", 10),
    ("snapchat", "Snap legal team", "legal@snap.com", 10),
    ("linkedin", "LinkedIn legal team", "legal@linkedin.com", 14),
    ("pinterest", "Pinterest legal team", "legal@pinterest.com", 14),
    ("reddit", "Reddit legal team", "legal@reddit.com", 14),
    ("twitch", "Twitch legal team", "legal@twitch.tv", 14),
]
