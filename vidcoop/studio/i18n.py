"""Every string the studio shows, one catalogue per language (German first: the teams work in German).

Templates call ``t("key")``; the page's JavaScript receives the ``js.*`` strings
as JSON. Accessible names the tests and screen readers rely on are here too,
exactly as the issue fixes them (``Untertitel 1`` / ``Cue 1``, ``Freigeben`` /
``Approve`` ...).
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("de", "en")

CATALOGUES: dict[str, dict[str, str]] = {
    "de": {
        "app": "vidcoop Studio",
        "decimal": ",",
        "seconds": "{value} s",
        "week.heading": "Woche {name}",
        "week.intro": "Jedes Video der Woche: ansehen, Untertitel korrigieren, freigeben.",
        "week.episodes": "Videos",
        "week.col.episode": "Video",
        "week.col.duration": "Dauer",
        "week.col.format": "Format",
        "week.col.captions": "Untertitel-Quelle",
        "week.col.status": "Prüfstatus",
        "week.col.approvals": "Freigaben",
        "week.jobboard_link": "Karten der Stellenbörse prüfen",
        "week.error": "Fehler",
        "nav.week": "Zur Woche",
        "episode.heading": "{name}",
        "episode.preview": "Vorschau",
        "episode.video": "Vorschau von {name}",
        "episode.render": "Vorschau rendern",
        "episode.rendering": "Vorschau wird gerendert …",
        "episode.cues": "Untertitel",
        "episode.cue": "Untertitel {n}",
        "episode.save": "Untertitel speichern",
        "episode.split": "Teilen",
        "episode.merge": "Mit nächstem verbinden",
        "episode.earlier": "0,1 s früher",
        "episode.later": "0,1 s später",
        "episode.no_captions": "Dieses Video hat keine Untertitel.",
        "episode.readonly": "Die Texte der Stellenbörse kommen aus der Jobliste; sie werden dort korrigiert.",
        "review.heading": "Prüfung",
        "review.name": "Name",
        "review.org": "Organisation",
        "review.comment": "Kommentar",
        "review.approve": "Freigeben",
        "review.changes": "Änderungen anfordern",
        "review.history": "Bisherige Prüfungen",
        "review.none": "Noch keine Prüfung.",
        "review.needs": "{have} von {need} Freigaben",
        "jobs.heading": "Stellenbörse: Karten",
        "jobs.filter": "Partner",
        "jobs.all": "Alle Partner",
        "jobs.row": "Zeile {row}",
        "jobs.changes": "Änderungen anfordern: Zeile {row}",
        "jobs.card_alt": "Karte: {title} ({partner})",
        "status.not rendered": "nicht gerendert",
        "status.preview ready": "Vorschau bereit",
        "status.in review": "in Prüfung",
        "status.changes requested": "Änderungen angefordert",
        "status.approved": "freigegeben",
        "status.changed since approval": "seit Freigabe geändert",
        "decision.approve": "freigegeben",
        "decision.changes": "Änderungen angefordert",
        "js.saved": "Gespeichert",
        "js.approved": "Freigegeben",
        "js.changes_requested": "Änderungen angefordert",
        "js.conflict": "Anderswo geändert, bitte neu laden. Nichts wurde überschrieben.",
        "js.error": "Fehler: {message}",
        "js.name_needed": "Bitte einen Namen eingeben.",
        "js.rendering": "Vorschau wird gerendert: {percent} %",
        "js.ready": "Vorschau bereit",
        "js.rule.line_chars": "Zeile länger als 42 Zeichen",
        "js.rule.pixel_width": "Zeile zu breit für die Schrift",
        "js.rule.line_count": "mehr als 2 Zeilen",
        "js.rule.duration": "kürzer als 1 s oder länger als 7 s",
        "js.rule.reading_speed": "mehr als 20 Zeichen pro Sekunde",
        "js.rule.overlaps": "überlappt den vorigen Untertitel",
        "js.rules_ok": "Regeln eingehalten",
        "js.corrected": "Korrigiert: {list}",
        "js.unsaved": "Ungespeicherte Änderungen",
        "js.reported": "Gemeldet",
        "js.row": "Zeile {row}",
    },
    "en": {
        "app": "vidcoop studio",
        "decimal": ".",
        "seconds": "{value} s",
        "week.heading": "Week {name}",
        "week.intro": "Every video of the week: watch, correct the captions, approve.",
        "week.episodes": "Videos",
        "week.col.episode": "Video",
        "week.col.duration": "Duration",
        "week.col.format": "Format",
        "week.col.captions": "Caption source",
        "week.col.status": "Review status",
        "week.col.approvals": "Approvals",
        "week.jobboard_link": "Check the job board's cards",
        "week.error": "Error",
        "nav.week": "Back to the week",
        "episode.heading": "{name}",
        "episode.preview": "Preview",
        "episode.video": "Preview of {name}",
        "episode.render": "Render preview",
        "episode.rendering": "Rendering preview …",
        "episode.cues": "Captions",
        "episode.cue": "Cue {n}",
        "episode.save": "Save captions",
        "episode.split": "Split",
        "episode.merge": "Merge with next",
        "episode.earlier": "0.1 s earlier",
        "episode.later": "0.1 s later",
        "episode.no_captions": "This video has no captions.",
        "episode.readonly": "The job board's texts come from the jobs file; correct them there.",
        "review.heading": "Review",
        "review.name": "Reviewer",
        "review.org": "Organisation",
        "review.comment": "Comment",
        "review.approve": "Approve",
        "review.changes": "Request changes",
        "review.history": "Reviews so far",
        "review.none": "No review yet.",
        "review.needs": "{have} of {need} approvals",
        "jobs.heading": "Job board: cards",
        "jobs.filter": "Partner",
        "jobs.all": "All partners",
        "jobs.row": "Row {row}",
        "jobs.changes": "Request changes: row {row}",
        "jobs.card_alt": "Card: {title} ({partner})",
        "status.not rendered": "not rendered",
        "status.preview ready": "preview ready",
        "status.in review": "in review",
        "status.changes requested": "changes requested",
        "status.approved": "approved",
        "status.changed since approval": "changed since approval",
        "decision.approve": "approved",
        "decision.changes": "changes requested",
        "js.saved": "Saved",
        "js.approved": "Approved",
        "js.changes_requested": "Changes requested",
        "js.conflict": "Changed elsewhere, reload. Nothing was overwritten.",
        "js.error": "Error: {message}",
        "js.name_needed": "Please enter a name.",
        "js.rendering": "Rendering preview: {percent} %",
        "js.ready": "Preview ready",
        "js.rule.line_chars": "line longer than 42 characters",
        "js.rule.pixel_width": "line too wide for the font",
        "js.rule.line_count": "more than 2 lines",
        "js.rule.duration": "shorter than 1 s or longer than 7 s",
        "js.rule.reading_speed": "more than 20 characters per second",
        "js.rule.overlaps": "overlaps the previous cue",
        "js.rules_ok": "rules met",
        "js.corrected": "Corrected: {list}",
        "js.unsaved": "Unsaved changes",
        "js.reported": "Reported",
        "js.row": "Row {row}",
    },
}


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` for ``lang``; an unknown key is a bug, so it raises KeyError."""
    catalogue = CATALOGUES[lang]

    def t(key: str, **values: object) -> str:
        text = catalogue[key]
        return text.format(**values) if values else text

    return t


def js_strings(lang: str) -> dict[str, str]:
    """The strings the page's JavaScript needs: ``js.*`` without the prefix, ``status.*`` and ``decision.*``."""
    catalogue = CATALOGUES[lang]
    out = {k[3:]: v for k, v in catalogue.items() if k.startswith("js.")}
    out.update({k: v for k, v in catalogue.items() if k.startswith(("status.", "decision."))})
    return out
