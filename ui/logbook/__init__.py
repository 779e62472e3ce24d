"""The shift logbook: writing notes and reading them back."""
