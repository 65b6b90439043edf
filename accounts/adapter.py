"""allauth adapter: account emails go out through the outbox and a Celery task, not inside the request."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives

from registry.core.context_processors import site
from registry.core.mail import send_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        context = {**site(None), **context}  # the site's name even when no request renders the mail
        msg = self.render_mail(template_prefix, email, context)
        html = None
        if isinstance(msg, EmailMultiAlternatives):
            html = next((body for body, mime in msg.alternatives if mime == "text/html"), None)
        send_email(subject=msg.subject, body=msg.body, to=list(msg.to), html=html)
