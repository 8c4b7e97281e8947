"""The debrief as text for the terminal: the tables side by side, then the conditions."""

from __future__ import annotations

from game.workshop.debrief import Debrief, TableSummary

__all__ = ["render_debrief"]


def render_debrief(debrief: Debrief) -> str:
    """Every compared table in one line, its policies and predictions, then per condition."""
    s = debrief.scenario
    if s is None:
        return "No tables to compare."
    lines = [f"{s.title} (scenario '{s.id}', version {s.version}): "
             f"{len(debrief.tables)} table(s)", ""]
    head = (f"{'table':<18}{'condition':<34}{'proxy index':>15}{'health index':>15}"
            f"{'gap':>8}  top of the leaderboard (real contribution rank)")
    lines += [head, "-" * len(head)]
    for t in debrief.summaries:
        leader = f"{t.leader} (#{t.leader_contribution_rank})" if t.leader else "-"
        note = "" if t.finished else "  (unfinished)"
        lines.append(f"{t.label[:17]:<18}{t.condition[:33]:<34}"
                     f"{_span(t.proxy_start, t.proxy_end):>15}"
                     f"{_span(t.health_start, t.health_end):>15}{t.gap_end:>+8.1f}"
                     f"  {leader}{note}")
    lines.append("")
    for _, result, t in debrief.tables:
        lines.append(f"{t.label}: {'; '.join(t.policies) or 'no policies in force'}")
        for p in result.predictions:
            lines.append(f"    {p.name} predicted health {p.predicted_health:.0f}; "
                         f"it ended at {p.actual_health:.0f}")
        if t.what_if is not None:
            lines.append(what_if_line(t))
    for t in debrief.summaries:
        lines += ["", f"{t.label}: what this game shows"]
        lines += [f"  - {text}" for text in t.facts]
        lines += [f"  * {text}" for text in t.lessons]
    lines += ["", f"{'condition':<34}{'tables':>7}{'mean end health':>17}"
                  f"{'health change':>15}{'mean end gap':>14}"]
    for c in debrief.conditions():
        lines.append(f"{c.condition[:33]:<34}{len(c.tables):>7}{c.mean_health_end:>17.1f}"
                     f"{c.mean_health_change:>+15.1f}{c.mean_gap_end:>+14.1f}")
    return "\n".join(lines) + "\n"


def what_if_line(t: TableSummary) -> str:
    """The table's what-if in one line: the replay's end figures beside the table's own."""
    w = t.what_if
    return (f"    what if \"{w.regime}\" (bots, same seed): proxy {w.proxy[-1]:.1f} "
            f"(here {t.proxy_end:.1f}), health {w.health[-1]:.1f} (here {t.health_end:.1f}), "
            f"gap {w.gap[-1]:+.1f} (here {t.gap_end:+.1f}), leaderboard vs contribution "
            f"{w.rank_agreement:+.2f} (here {t.rank_agreement:+.2f})")


def _span(start: float, end: float) -> str:
    return f"{start:.1f} -> {end:.1f}"
