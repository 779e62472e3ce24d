"""Screen replay from history: the screens as they were at a chosen moment."""
