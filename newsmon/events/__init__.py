"""Events: articles about one real-world happening, across sources and languages (issue 16)."""
