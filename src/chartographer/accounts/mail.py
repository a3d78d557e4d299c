"""Outgoing portal mail: SMTP when configured, else the message goes to the log.

Without SMTP (``make run`` on a laptop) the confirmation or reset link is
written to the ``chartographer.mail`` log at INFO, so a developer can still
follow it. Sending runs in a thread: ``smtplib`` blocks.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from chartographer.config import Settings

log = logging.getLogger("chartographer.mail")


@dataclass(frozen=True)
class Mailer:
    host: str | None
    port: int
    sender: str
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer:
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            settings.smtp_starttls,
            settings.smtp_username,
            settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        )

    def _send(self, message: EmailMessage) -> None:
        assert self.host is not None
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)

    async def send(self, to: str, subject: str, body: str) -> None:
        """Deliver one plain-text message; a failure is logged, never raised to the user."""
        if self.host is None:
            log.info("mail to %s (no SMTP configured): %s\n%s", to, subject, body)
            return
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            await asyncio.to_thread(self._send, message)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("mail to %s not sent: %s", to, type(exc).__name__)
