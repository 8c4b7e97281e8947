"""The workshop server's room: one room of tables, each participant on their own device.

Nothing here touches the network; the web app (`game.server.app`) calls into it from one
thread. Time is passed in (`now`, seconds), so tests drive it without waiting.

- `room.Room`: `Room.create(loaded, store, now, grows=False)` (`.facilitator_token` in clear,
  once), `Room.open(store, now)` (resume: every table replayed from its log);
  `join(name, code, now) -> Ticket` (room code or late-arrival code), `rejoin(secret, now=None)
  -> Ticket | None`, `player_state(secret, now) -> PlayerState`, `act(secret, ActMessage, now)
  -> version`, `tick(now) -> changed table ids`; the facilitator's `pause/resume(table_id |
  None, now)`, `extend(table_id, seconds, now)`, `inject(table_id, event_id, now)`,
  `give_to_bot(table_id, seat, now, strategy=None)`, `give_to_person(table_id, seat, now) ->
  code`, `end_table(table_id, now)`, `apply_op(op, now)`; `check_facilitator(token)`,
  `reset_facilitator_token()`; `status(now) -> RoomStatus`, `versions()`, `results()`,
  `debrief()`. Errors: `RoomError` (one line to show) and its kinds `RoomFull`,
  `StaleAction`, `UnknownSeat`; `StoreError` for the file.
- `room.room_source(ref) -> RoomSource(loaded, grows)`: a workshop file, or a bare scenario
  (a room that adds a table of the scenario's default size whenever the last one is full).
- `store.Store(path)`: the SQLite file (WAL, synchronous=FULL); every write is committed
  before it returns; secrets and codes only as sha256.
- `protocol`: every message in and out (`parse_player`, `parse_facilitator`, `PlayerState`,
  `ErrorMessage`, `AckMessage`), bounded and size-capped.
"""
