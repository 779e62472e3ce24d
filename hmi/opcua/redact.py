"""Keep user-identity secrets out of the log: asyncua's debug dump of each request shows the password.

A logger-level filter on the loggers that dump requests, so it holds for every handler (a file, the
console, a test's capture), not only for the ones the app configures.
"""

from __future__ import annotations

import logging

from asyncua import ua

SECRET_TYPES = (
    ua.ActivateSessionRequest,
    ua.ActivateSessionParameters,
    ua.UserNameIdentityToken,
    ua.IssuedIdentityToken,
)
"""What carries a password or token: the request that logs the user in, and the tokens themselves."""
DUMPING_LOGGERS = ("asyncua.client.ua_client.UASocketProtocol", "asyncua.client.ua_client.UaClient")


class IdentitySecrets(logging.Filter):
    """Replaces the dump of a request that holds a user identity token by its type name."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        if isinstance(record.msg, SECRET_TYPES) or any(isinstance(a, SECRET_TYPES) for a in args):
            kinds = [type(x).__name__ for x in (record.msg, *args) if isinstance(x, SECRET_TYPES)]
            record.msg = f"Sending: {', '.join(kinds)} (user identity not logged)"
            record.args = ()
        return True


def install() -> None:
    """Idempotent: add the filter to each logger that dumps requests."""
    for name in DUMPING_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, IdentitySecrets) for f in logger.filters):
            logger.addFilter(IdentitySecrets())
