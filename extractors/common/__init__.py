"""What the site extractors share: the :class:`~extractors.common.base.ArticleExtractor` base class, and readers
for meta tags, JSON-LD, dates (Gregorian and Afghan solar), bylines, CSS selectors, text and PDF layout."""
