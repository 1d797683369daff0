"""Data in and out: files (YAML, JSON Lines, CSV, ClaimReview), articles and pages, drafts, the bundled example.

Everything here reads or writes through the core (`claims.model`, `claims.writing`, `claims.links`);
nothing in the core imports this package.
"""
