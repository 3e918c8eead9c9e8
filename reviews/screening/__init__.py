"""Screening engines: plain Python, no Django, returning frozen dataclasses."""
