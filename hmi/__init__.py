"""OpenHMI engine: project model, OPC-UA connections, tag table, alarms and history. No Qt here."""

__version__ = "0.1.0"
