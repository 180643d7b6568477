"""Consultation analysis toolkit."""
