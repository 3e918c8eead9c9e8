"""The record: versions and their language texts, instruments' effects, the in-force rule."""
