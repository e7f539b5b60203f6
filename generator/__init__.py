"""Learning Lessons: turn safeguarding case-review content into briefings and a site."""
