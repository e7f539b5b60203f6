"""The domain model: the content schema (one class per kind of content file), publication
dates, the validated content the stages pass on, and the feedback form built from settings.

Everything here is pure: no file is read or written."""
