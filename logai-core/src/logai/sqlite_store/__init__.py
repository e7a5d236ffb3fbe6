"""The footing the log cache and the conversation history share: one private SQLite file each.

:class:`~logai.sqlite_store.store.SQLiteStore` owns the file (0700 directory, 0600 file, WAL,
``BEGIN IMMEDIATE``), runs each unit of work as a shielded, retried transaction, moves a damaged
file aside once and otherwise switches the store off with one warning;
:func:`~logai.sqlite_store.schema.upgrade_schema` keeps each file's schema version. The stores
bring their own tables, settings and warnings' wording.

Importing this package is cheap: SQLAlchemy is imported when a store is first used.
"""
