"""The keys of every round-mention row, in order: a module of its own so that the build's main process, which
reads the rows but never parses, can name them without importing the extractors and spaCy."""

COLUMNS = ["mention_id", "article_id", "sentence_id", "paragraph_id", "start", "end", "surface", "kind",
           "definiteness", "date_text", "date_start", "date_end", "date_precision", "year", "month", "day",
           "weekday", "after_year", "after_month", "ordinal", "city", "venue", "region", "country", "host",
           "format", "duration_minutes", "delegation_heads", "people", "parties", "tense", "reference"]
