"""What an export refuses: a bad format, run, layout or filter, named by a message key."""


class ExportError(ValueError):
    """A request for an export that cannot be made; `key` names the message (export.*)."""

    def __init__(self, message_key: str, /, **params):
        super().__init__(message_key)
        self.key = message_key
        self.params = params

    def message(self, lang: str) -> str:
        from ..i18n import gettext

        return gettext(self.key, lang, **self.params)
