"""OpenHMI's Qt application: it adapts the engine in `hmi` to windows and never the reverse."""
