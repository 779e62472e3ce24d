"""Alarm views: the banner on every screen, the summary, the journal, and audible annunciation."""
