"""The reading pages: agreements, versions, one clause through time, the text on a date."""
