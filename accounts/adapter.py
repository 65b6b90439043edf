"""allauth adapter: account emails go out through the outbox and a Celery task, not inside the request."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        from registry.core.outbox import dispatch

        msg = self.render_mail(template_prefix, email, context)
        html = None
        if isinstance(msg, EmailMultiAlternatives):
            html = next((body for body, mime in msg.alternatives if mime == "text/html"), None)
        dispatch(
            "registry.core.mail.deliver",
            subject=msg.subject,
            body=msg.body,
            to=list(msg.to),
            html=html,
        )
