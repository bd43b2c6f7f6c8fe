"""Tests of the cross-article step."""
