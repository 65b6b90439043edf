# ruff: noqa: E501
"""Seed the default SLA policies and the two notice templates (supervisors edit them afterwards).

The data is written out here as it was when this migration was made (registry.cases.notice_defaults keeps the
live copy for the demo data): a migration must not change when the code does.
"""

from django.db import migrations

TAKEDOWN_SUBJECT = "Notice of unauthorised digital replica / likeness use — {{ talent_name }} ({{ reference }})"
TAKEDOWN_BODY = """\
{{ today }}

To: {{ recipient_name }}
Re: Request to remove content that uses the likeness of {{ talent_name }} without consent
Our reference: {{ reference }}

We write on behalf of {{ union_name }} and its member {{ talent_name }} (Likeness Registry ID {{ registry_id }}, {{ registry_url }}).

The following content on your service uses the image, voice or other likeness of {{ talent_name }}, or a digital replica of them, without their authorisation:
{% for url in urls %}
  - {{ url }}{% endfor %}

The content was seen on {{ seen_on|default:"the date of this notice" }}{% if organization %}, published by or for {{ organization }}{% endif %}. Likely use: {{ use }}.
{% if decision %}
The registry's record of {{ talent_name }}'s likeness-use terms, as of that date, gives the following answer for this use: {{ decision }}. Basis: {{ basis }}.
{% endif %}
Under your policies for the reporting of unauthorised digital replicas and impersonation, and in the notice-and-takedown spirit of the proposed NO FAKES Act, we ask that you:
  1. remove or disable access to the content listed above;
  2. take reasonable steps to prevent the same content from being uploaded again; and
  3. confirm to us at {{ contact_email }} the action you have taken, quoting {{ reference }}.

We have a good-faith belief that the use of the likeness described above is not authorised by the person concerned, their representative or the law. The information in this notice is accurate to the best of our knowledge, and we are authorised to act on behalf of the person concerned.

Please respond by {{ response_due }}.

{{ union_name }}
{{ contact_email }}
"""

CEASE_SUBJECT = "Cease and desist: unauthorised use of the likeness of {{ talent_name }} ({{ reference }})"
CEASE_BODY = """\
{{ today }}

To: {{ recipient_name }}
Re: Unauthorised use of the likeness of {{ talent_name }}
Our reference: {{ reference }}

We write on behalf of {{ union_name }} and its member {{ talent_name }} (Likeness Registry ID {{ registry_id }}, {{ registry_url }}).

It has come to our attention that you{% if organization %} ({{ organization }}){% endif %} have published or caused to be published content that uses the image, voice or other likeness of {{ talent_name }}, or a digital replica of them, at:
{% for url in urls %}
  - {{ url }}{% endfor %}

The content was seen on {{ seen_on|default:"the date of this letter" }}. Likely use: {{ use }}.
{% if decision %}
{{ talent_name }}'s likeness-use terms, recorded in the registry and in effect on that date, give the following answer for this use: {{ decision }}. Basis: {{ basis }}.
{% endif %}
{{ talent_name }} has not consented to this use. Creating or using a digital replica of a performer, or digitally altering their recorded likeness, requires their informed consent with a reasonably specific description of the intended use, and payment.

We therefore demand that you:
  1. immediately cease all use of the likeness of {{ talent_name }} in the content identified above and in any other material;
  2. remove the content from every channel where it appears; and
  3. confirm in writing to {{ contact_email }}, quoting {{ reference }}, by {{ response_due }}, that you have done so.

If you believe the use is covered by a license or by the talent's registered terms, reply with the license ID or the details of the permission you rely on. Licenses can be requested through the Likeness Registry.

This letter is without prejudice to any rights and remedies of {{ talent_name }} and the union, all of which are expressly reserved.

{{ union_name }}
{{ contact_email }}
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

DEFAULT_SLA = [('urgent', 4, 14), ('high', 24, 14), ('normal', 72, 14), ('low', 168, 14)]


def seed(apps, schema_editor):
    SLAPolicy = apps.get_model("cases", "SLAPolicy")
    NoticeTemplate = apps.get_model("cases", "NoticeTemplate")
    for priority, triage_hours, response_days in DEFAULT_SLA:
        SLAPolicy.objects.get_or_create(
            priority=priority, defaults={"triage_hours": triage_hours, "response_days": response_days}
        )
    for template in DEFAULT_TEMPLATES:
        NoticeTemplate.objects.get_or_create(name=template["name"], defaults=template)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
