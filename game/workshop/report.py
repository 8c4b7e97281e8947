"""The debrief as text for the terminal: the tables side by side, then the conditions."""

from __future__ import annotations

from game.workshop.debrief import Debrief

__all__ = ["render_debrief"]


def render_debrief(debrief: Debrief) -> str:
    """Every compared table in one line, its policies and predictions, then per condition."""
    s = debrief.scenario
    if s is None:
        return "No tables to compare."
    lines = [f"{s.title} (scenario '{s.id}', version {s.version}): "
             f"{len(debrief.tables)} table(s)", ""]
    head = (f"{'table':<18}{'condition':<26}{'proxy':>14}{'health':>14}{'gap':>8}"
            f"  {'top of the leaderboard':<28}")
    lines += [head, "-" * len(head)]
    for _, result, t in debrief.tables:
        leader = f"{t.leader} (contribution #{t.leader_contribution_rank})" if t.leader else "-"
        note = "" if t.finished else "  (unfinished)"
        lines.append(f"{t.label[:17]:<18}{t.condition[:25]:<26}"
                     f"{t.proxy_start:>6.1f} → {t.proxy_end:<5.1f}"
                     f"{t.health_start:>6.1f} → {t.health_end:<5.1f}{t.gap_end:>+8.1f}"
                     f"  {leader[:40]}{note}")
    lines.append("")
    for _, result, t in debrief.tables:
        lines.append(f"{t.label}: {'; '.join(t.policies) or 'no policies in force'}")
        for p in result.predictions:
            lines.append(f"    {p.name} predicted health {p.predicted_health:.0f}; "
                         f"it ended at {p.actual_health:.0f}")
    lines += ["", f"{'condition':<30}{'tables':>7}{'mean end health':>17}"
                  f"{'health change':>15}{'mean end gap':>14}"]
    for c in debrief.conditions():
        lines.append(f"{c.condition[:29]:<30}{len(c.tables):>7}{c.mean_health_end:>17.1f}"
                     f"{c.mean_health_change:>+15.1f}{c.mean_gap_end:>+14.1f}")
    return "\n".join(lines) + "\n"
