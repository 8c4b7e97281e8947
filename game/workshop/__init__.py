"""Workshop mode: several tables play one scenario under different conditions, then debrief.

- `load`: the workshop file (`workshop.yaml`), validated with `file:line:col` errors.
- `tables`: one table's seats, locked policies, seed and timers; starting its session.
- `result`: the result file each table writes at the end, and reading it back.
- `run`: a table played headless by bots.
- `debrief`: many result files compared side by side; `export`: CSV and PNG for slides.
- `facilitator`: the pure logic behind the facilitator's controls (timers, projector view).
"""
