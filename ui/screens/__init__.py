"""Process screens: the graphics items and the view that shows a screen file."""
