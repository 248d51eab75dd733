"""Kibana saved objects for analysts: built from the watchlist and the alert rules (:mod:`.objects`), checked
against the article mapping and imported into Kibana (:mod:`.saved_objects`)."""
