"""The record: what instruments did to an agreement (effects) and the instruments' own texts."""
