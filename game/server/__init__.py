"""The workshop server: one room of tables, each participant on their own device.

`room` (the room's domain, synchronous, time passed in), `store` (its durable SQLite log),
`protocol` (every message in and out). The web app builds on these; nothing here does I/O on
the network.
"""
