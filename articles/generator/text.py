"""The text writer: titles, sentences and safe HTML bodies from a seeded random stream."""

import html
import random
import string
from datetime import date
from functools import cache

from articles.generator.words import (
    ALLIES,
    CITIES,
    EXERCISES,
    FACTS,
    PARTNERS,
    PROGRAMMES,
    QUESTIONS,
    QUOTES,
    REGIONS,
    RELEASE_SENTENCES,
    SLOTS,
    SPEECH_SENTENCES,
    SUBHEADINGS,
    SUMMITS,
    TOPICS,
    WHO_MET,
)


def _esc(text: str) -> str:
    """Escape plain text for an HTML body, exactly as the sanitiser writes it back."""
    return html.escape(text, quote=False)


@cache
def _slot_names(template: str) -> tuple[str, ...]:
    """A template's slots in order of appearance (ordered, so fills are reproducible)."""
    parsed = string.Formatter().parse(template)
    return tuple(dict.fromkeys(name for _text, name, _spec, _conv in parsed if name))


class Writer:
    """Plausible press-office text from a seeded random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        # Pools of filled, escaped sentences: a body draws most of its sentences from
        # them and adds its own about its subject, so 100,000 bodies take seconds.
        self.release_pool = self.pool(RELEASE_SENTENCES, 3000)
        self.speech_pool = self.pool(SPEECH_SENTENCES, 2000)

    def pool(self, templates: list[str], size: int) -> list[str]:
        filled = (self.fill(self.rng.choice(templates)) for _ in range(size))
        return list(dict.fromkeys(filled))  # no sentence twice in the pool

    def slot(self, name: str) -> str:
        """Words for a slot; `{ally2}` is a second, independent `{ally}`."""
        rng = self.rng
        name = name.removesuffix("2")
        if name in SLOTS:
            return rng.choice(SLOTS[name])
        choices = {
            "ally": ALLIES, "partner": PARTNERS, "topic": TOPICS, "region": REGIONS,
            "city": CITIES, "programme": PROGRAMMES, "exercise": EXERCISES,
            "summit": [name for name, _year in SUMMITS],
        }  # fmt: skip
        if name in choices:
            return rng.choice(choices[name])
        numbers = {"few": (3, 30), "year": (1994, 2023), "days": (3, 21), "pct": (2, 60),
                   "money": (2, 500)}  # fmt: skip
        if name in numbers:
            return str(rng.randint(*numbers[name]))
        if name == "thousands":
            return f"{rng.randint(2, 90) * 1000:,}"
        if name == "hundreds":
            return str(rng.randint(1, 9) * 100)
        raise KeyError(f"No words for the slot {{{name}}}.")

    def text(self, template: str, **given: str) -> str:
        """Plain text: the template with its slots filled, given values first."""
        values = {name: given.get(name) or self.slot(name) for name in _slot_names(template)}
        return template.format(**values)

    def fill(self, template: str, **given: str) -> str:
        """Like `text`, escaped for an HTML body."""
        return _esc(self.text(template, **given))

    def paragraph(self, pool: list[str], lead: str | None = None) -> str:
        sentences = self.rng.choices(pool, k=self.rng.randint(2, 5))
        if lead:
            sentences.insert(0, lead)
        return f"<p>{' '.join(sentences)}</p>"

    def release_body(self, about: str, quoted: str | None, where: str, day: date) -> str:
        rng = self.rng
        opening = f"On {day.day} {day:%B %Y}, {rng.choice(WHO_MET)} met {where} to discuss {about}."
        parts = [f"<p>{_esc(opening)} {rng.choice(self.release_pool)}</p>"]
        for index in range(rng.randint(4, 8)):
            lead = None
            if index == 1:
                lead = _esc(f"Work on {about} will continue in {rng.choice(SLOTS['month'])}.")
            parts.append(self.paragraph(self.release_pool, lead))
            if quoted and index == 0:
                quote = self.fill(rng.choice(QUOTES), about=about)
                parts.append(f"<blockquote><p>“{quote},” said {_esc(quoted)}.</p></blockquote>")
        if rng.random() < 0.35:
            items = "".join(f"<li>{self.fill(fact)}</li>" for fact in rng.sample(FACTS, k=3))
            parts.append(f"<h2>{rng.choice(SUBHEADINGS)}</h2><ul>{items}</ul>")
        return "".join(parts)

    def speech_body(self, kind: str, speakers: list[str], about: str, event: str) -> str:
        rng = self.rng
        greeting = rng.choice(["Good morning", "Good afternoon", "Good evening", "Dear friends"])
        opening = _esc(f"{greeting}, and thank you for joining us at the {event}.")
        parts = [f"<p>{opening} {rng.choice(self.speech_pool)}</p>"]
        lead = _esc(f"Let me say a few words about {about}.")
        for index in range(rng.randint(3, 6)):
            parts.append(self.paragraph(self.speech_pool, lead if index == 0 else None))
        if kind in {"press-conference", "joint-press-conference", "doorstep", "interview"}:
            for _ in range(rng.randint(1, 4)):
                question = self.fill(rng.choice(QUESTIONS))
                answer = " ".join(rng.choices(self.speech_pool, k=rng.randint(2, 4)))
                parts.append(f"<p><strong>Question:</strong> {question}</p>")
                parts.append(f"<p><strong>{_esc(rng.choice(speakers))}:</strong> {answer}</p>")
        parts.append("<p>Thank you.</p>")
        return "".join(parts)
