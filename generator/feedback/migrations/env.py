"""Alembic's entry point for the feedback database's migrations.

Run only through ``generator.feedback.schema.upgrade``, which passes the connection (already in
the transaction, and holding the lock, that the migrations run in) as ``connection``.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
