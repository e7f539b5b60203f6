"""Feedback: the form on every briefing, the service that receives it, and the impact report."""
