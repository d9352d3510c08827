"""Themes, the stylesheet parts of a book, fonts for every script it needs, and the CSS a book may use."""
