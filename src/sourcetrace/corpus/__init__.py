"""The cross-article step: stories, text reuse, claims, figure series and the outlet graph.

Pure functions over analysed-document records; the store (``sourcetrace.store``) feeds them
and keeps what they return.
"""
