"""Drive the real app through its event loop: post key, text and mouse events, run frames.

Every helper posts events into pygame's queue and runs `App.step()`, exactly as the window
would on a real machine; nothing calls a scene's methods behind the loop's back.
"""

from __future__ import annotations

import os
import re

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from game.ui.app import App  # noqa: E402

NUMBER = re.compile(r"(?<![A-Za-z\d])[-\u2212]?\d[\d,]*(?:\.\d+)?")


def make_app(size: tuple[int, int] = (1280, 720)) -> App:
    """A headless app that runs frames as fast as it can (dt is a fixed 1/60 s)."""
    return App(size, fps=0)


def next_choice(play):
    """The play's next step that asks a seat to choose (or the end), after seeing every news
    screen and passing every handoff on the way."""
    while True:
        step = play.next_step()
        if step.kind == "news":
            play.news_seen()
        elif step.kind == "handoff":
            play.passed(step.seat)
        else:
            return step


def frames(app: App, n: int = 1) -> None:
    for _ in range(n):
        app.step()


def key(app: App, k: int, mod: int = 0, settle: int = 2) -> None:
    """Press and release a key, then run frames so posted UI events are handled too."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="",
                                         scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode="", scancode=0))
    frames(app, settle)


def keys(app: App, *ks: int) -> None:
    for k in ks:
        key(app, k)


def type_text(app: App, text: str) -> None:
    for ch in text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
        frames(app, 1)


def click(app: App, pos: tuple[int, int], settle: int = 2) -> None:
    """A left click: move there, press, release."""
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    frames(app, 1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    frames(app, 1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    frames(app, settle)


def focus_rect(app: App, key_name: str) -> pygame.Rect:
    """The rect of the scene's focus item with this key (a button, a card, a text box)."""
    for item in app.scene.ring.items:
        if item.key == key_name:
            return item.rect
    raise AssertionError(f"no item '{key_name}' on the {app.scene.name} screen: "
                         f"{[i.key for i in app.scene.ring.items]}")


def focus(app: App, key_name: str, limit: int = 40) -> None:
    """Tab until the item with this key has the focus."""
    for _ in range(limit):
        if app.scene.ring.current and app.scene.ring.current.key == key_name:
            return
        key(app, pygame.K_TAB, settle=1)
    raise AssertionError(f"could not Tab to '{key_name}' on {app.scene.name}")


def until_scene(app: App, name: str, limit: int = 60) -> None:
    for _ in range(limit):
        if app.scene is not None and app.scene.name == name and app.next_scene is None:
            return
        frames(app, 1)
    raise AssertionError(f"expected the {name} screen, still on {app.scene.name}")


def screen_text(app: App) -> str:
    """Everything on screen in the last frame, as one string."""
    return "\n".join(app.visible_texts())


def numbers_on_screen(app: App) -> set[str]:
    return {m.group().replace("\u2212", "-") for t in app.visible_texts()
            for m in NUMBER.finditer(t)}
