"""Security dialogs: server certificate trust, connection passwords, logins."""
