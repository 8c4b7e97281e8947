"""A token bucket: at most `rate` messages a second on average, with a small burst."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """`rate` tokens a second flow in up to `burst`; each message takes one.

    `take(now)` returns whether the message may go through. Time is passed in, so tests need
    no clock."""

    rate: float = 10.0
    burst: float = 15.0
    tokens: float = field(default=-1.0)
    last: float | None = None

    def ready(self, now: float) -> bool:
        """Whether a token is there at `now` (none is spent)."""
        if self.last is None:
            self.tokens, self.last = self.burst, now
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.last) * self.rate)
        self.last = now
        return self.tokens >= 1.0

    def take(self, now: float) -> bool:
        """True (and one token spent) when a token is there at `now`, else False."""
        if self.ready(now):
            self.tokens -= 1.0
            return True
        return False
