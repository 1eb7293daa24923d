"""Geometry and geocoding that know nothing of Flask."""
