"""Every string the studio shows, one catalogue per language (German first: the teams work in German).

Templates call ``t("key")``; the page's JavaScript receives the ``js.*`` strings
as JSON. Accessible names the tests and screen readers rely on are here too,
exactly as the issue fixes them (``Untertitel 1`` / ``Cue 1``, ``Freigeben`` /
``Approve`` ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES = ("de", "en")

CATALOGUES: dict[str, dict[str, str]] = {
    "de": {
        "app": "vidcoop Studio",
        "decimal": ",",
        "seconds": "{value} s",
        "week.heading": "Woche {name}",
        "week.heading_kw": "KW {n}",
        "source.auto": "automatisch erkannt",
        "source.off": "keine",
        "source.cards": "Text der Karten",
        "source.file": "Datei {name}",
        "source.edited": "korrigiert ({name})",
        "episode.delete": "Untertitel löschen",
        "episode.undo": "Rückgängig",
        "episode.next_problem": "Nächstes Problem",
        "episode.larger": "Größer",
        "episode.smaller": "Kleiner",
        "episode.draft_restore": "Entwurf wiederherstellen",
        "episode.draft_discard": "Entwurf verwerfen",
        "episode.leave": "Trotzdem verlassen",
        "episode.stay": "Hierbleiben",
        "review.approve_anyway": "Trotzdem freigeben",
        "review.cancel": "Abbrechen",
        "review.open_rules_one": "1 Untertitel verletzt Regeln",
        "review.open_rules": "{n} Untertitel verletzen Regeln",
        "review.open_words_one": "1 unsicheres Wort nicht geprüft",
        "review.open_words": "{n} unsichere Wörter nicht geprüft",
        "review.open_question": "{points}: trotzdem freigeben?",
        "review.approved_anyway": "trotz {points}",
        "jobs.enlarge": "Karte groß zeigen: {title}",
        "jobs.close": "Schließen",
        "time.weekdays": "Mo.,Di.,Mi.,Do.,Fr.,Sa.,So.",
        "time.months": "Jan.,Feb.,März,Apr.,Mai,Juni,Juli,Aug.,Sept.,Okt.,Nov.,Dez.",
        "time.format": "{weekday}, {day}. {month}, {hour:02d}:{minute:02d}",
        "time.format_year": "{weekday}, {day}. {month} {year}, {hour:02d}:{minute:02d}",
        "week.intro": "Jedes Video der Woche: Vorschau ansehen, Untertitel korrigieren, freigeben. Danach rendert "
                      "„vidcoop batch {week} --final“ die Endfassungen der freigegebenen Videos.",
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
        "episode.split": "Aufteilen",
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
        "jobs.left_out": "Nicht gezeigte Zeilen ({count}): jede mit Grund",
        "jobs.status_invalid": "ungültig",
        "jobs.status_expired": "abgelaufen",
        "status.not rendered": "nicht gerendert",
        "status.preview ready": "Vorschau bereit",
        "status.in review": "in Prüfung",
        "status.changes requested": "Änderungen angefordert",
        "status.approved": "freigegeben",
        "status.changed since approval": "seit Freigabe geändert",
        "decision.approve": "freigegeben",
        "decision.changes": "Änderungen angefordert",
        "js.draft_found": "Ungespeicherte Änderungen vom {time} sind noch in diesem Browser.",
        "js.draft_restored": "Entwurf wiederhergestellt: noch nicht gespeichert",
        "js.leave_question": "Ungespeicherte Änderungen: ohne Speichern zur Woche? "
        "(Der Entwurf bleibt in diesem Browser.)",
        "js.undone": "Rückgängig gemacht",
        "js.nothing_to_undo": "Nichts rückgängig zu machen",
        "js.deleted": "Untertitel {n} gelöscht",
        "js.no_problem": "Keine offenen Probleme",
        "js.problem": "Untertitel {n}: {why}",
        "js.save_failed": "Nicht gespeichert, alle Änderungen sind noch da. {message}",
        "js.unsaved_points": "ungespeicherte Änderungen (die Freigabe gilt dem gespeicherten Stand)",
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
        "js.unsure": "Bitte prüfen, unsicher erkannt: {list}",
        "js.unsure_word": "{word}: {percent} % sicher",
        "js.unsure_ok": "Passt so",
        "js.unsure_count": "{n} Wörter unsicher erkannt: bitte in den markierten Untertiteln prüfen.",
        "js.unsure_count_one": "1 Wort unsicher erkannt: bitte im markierten Untertitel prüfen.",
        "js.unsaved": "Ungespeicherte Änderungen",
        "js.reported": "Gemeldet",
        "js.row": "Zeile {row}",
        "js.confirm_no_captions": "Es sind keine Untertitel übrig. Das Video ohne Untertitel speichern?",
        "error.cue_empty": "Untertitel {n} hat keinen Text. Text eingeben oder „Untertitel löschen“ nutzen.",
        "error.cue_end": "Untertitel {n} endet nicht nach seinem Anfang.",
        "error.cue_invalid": "Untertitel {n}: ungültige Angabe ({detail}).",
        "error.cue_generic": "Untertitel {n}: {detail}",
        "error.not_editable": "Die Untertitel dieses Videos werden hier nicht bearbeitet.",
        "error.stale": "Anderswo geändert, bitte neu laden.",
        "error.open_points": "Offene Punkte: {points}. Bitte bestätigen oder zuerst beheben.",
        "error.heading": "Das lässt sich nicht anzeigen",
        "error.fix": "Bitte die genannte Datei korrigieren und die Seite neu laden.",
        "error.review_stale": "Der Inhalt hat sich geändert, seit Sie ihn geladen haben. Bitte neu laden und "
        "noch einmal ansehen; Ihre Prüfung wurde nicht gespeichert.",
        "error.reviewer": "Bitte einen Namen eingeben (Buchstaben oder Ziffern).",
        "error.row": "Zeile {row} gibt es in den Jobdaten dieses Videos nicht.",
        "error.no_row": "Zeilen gibt es nur bei der Stellenbörse.",
        "error.no_captions": "Keine Untertitel übrig. Soll das Video ohne Untertitel erscheinen, bitte "
        "„ohne Untertitel“ ausdrücklich bestätigen.",
    },
    "en": {
        "app": "vidcoop studio",
        "decimal": ".",
        "seconds": "{value} s",
        "week.heading": "Week {name}",
        "week.heading_kw": "Week {n}",
        "source.auto": "recognised automatically",
        "source.off": "none",
        "source.cards": "text of the cards",
        "source.file": "file {name}",
        "source.edited": "corrected ({name})",
        "episode.delete": "Delete cue",
        "episode.undo": "Undo",
        "episode.next_problem": "Next problem",
        "episode.larger": "Larger",
        "episode.smaller": "Smaller",
        "episode.draft_restore": "Restore draft",
        "episode.draft_discard": "Discard draft",
        "episode.leave": "Leave anyway",
        "episode.stay": "Stay",
        "review.approve_anyway": "Approve anyway",
        "review.cancel": "Cancel",
        "review.open_rules_one": "1 cue breaks rules",
        "review.open_rules": "{n} cues break rules",
        "review.open_words_one": "1 unsure word not checked",
        "review.open_words": "{n} unsure words not checked",
        "review.open_question": "{points}: approve anyway?",
        "review.approved_anyway": "despite {points}",
        "jobs.enlarge": "Show card large: {title}",
        "jobs.close": "Close",
        "time.weekdays": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
        "time.months": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        "time.format": "{weekday} {day} {month}, {hour:02d}:{minute:02d}",
        "time.format_year": "{weekday} {day} {month} {year}, {hour:02d}:{minute:02d}",
        "week.intro": "Every video of the week: watch its preview, correct the captions, approve. Then "
                      "\"vidcoop batch {week} --final\" renders the finals of the approved videos.",
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
        "jobs.left_out": "Rows not shown ({count}): each with its reason",
        "jobs.status_invalid": "invalid",
        "jobs.status_expired": "expired",
        "status.not rendered": "not rendered",
        "status.preview ready": "preview ready",
        "status.in review": "in review",
        "status.changes requested": "changes requested",
        "status.approved": "approved",
        "status.changed since approval": "changed since approval",
        "decision.approve": "approved",
        "decision.changes": "changes requested",
        "js.draft_found": "Unsaved changes from {time} are still in this browser.",
        "js.draft_restored": "Draft restored: not saved yet",
        "js.leave_question": "Unsaved changes: go to the week without saving? (The draft stays in this browser.)",
        "js.undone": "Undone",
        "js.nothing_to_undo": "Nothing to undo",
        "js.deleted": "Cue {n} deleted",
        "js.no_problem": "No open problems",
        "js.problem": "Cue {n}: {why}",
        "js.save_failed": "Not saved, every change is still here. {message}",
        "js.unsaved_points": "unsaved changes (the approval is for the saved version)",
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
        "js.unsure": "Please check, recognised with low confidence: {list}",
        "js.unsure_word": "{word}: {percent} % sure",
        "js.unsure_ok": "Correct as is",
        "js.unsure_count": "{n} words recognised with low confidence: please check the marked captions.",
        "js.unsure_count_one": "1 word recognised with low confidence: please check the marked caption.",
        "js.unsaved": "Unsaved changes",
        "js.reported": "Reported",
        "js.row": "Row {row}",
        "js.confirm_no_captions": "No cues are left. Save this video without captions?",
        "error.cue_empty": "Cue {n} has no text. Type its text or use \"Delete cue\".",
        "error.cue_end": "Cue {n} does not end after it starts.",
        "error.cue_invalid": "Cue {n}: invalid value ({detail}).",
        "error.cue_generic": "Cue {n}: {detail}",
        "error.not_editable": "This video's captions are not edited here.",
        "error.stale": "Changed elsewhere, reload.",
        "error.open_points": "Open points: {points}. Please confirm or fix them first.",
        "error.heading": "This cannot be shown",
        "error.fix": "Please fix the file named here and reload the page.",
        "error.review_stale": "The content changed since you loaded it. Please reload and look again; "
        "your review was not saved.",
        "error.reviewer": "Please enter a name (letters or digits).",
        "error.row": "There is no row {row} in this video's job data.",
        "error.no_row": "Only the job board has rows.",
        "error.no_captions": "No cues are left. To publish this video without captions, confirm "
        "\"no captions\" explicitly.",
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
    """The strings the page's JavaScript needs: ``js.*`` without the prefix, ``status.*``, ``decision.*`` and
    ``review.open_*`` (the question before an approval with open points)."""
    catalogue = CATALOGUES[lang]
    out = {k[3:]: v for k, v in catalogue.items() if k.startswith("js.")}
    out.update({k: v for k, v in catalogue.items() if k.startswith(("status.", "decision.", "review.open_"))})
    return out


_KW = re.compile(r"kw[\s_-]*(\d{1,2})", re.IGNORECASE)


def week_heading(name: str, t: Callable[..., str]) -> str:
    """A week's heading: "KW 50" for a week named ``kw50`` (or ``KW-50``), else "Woche NAME"."""
    match = _KW.fullmatch(name.strip())
    return t("week.heading_kw", n=int(match.group(1))) if match else t("week.heading", name=name)


def local_time(at: str, zone: str, lang: str, now: datetime | None = None) -> str:
    """A stored UTC ISO time as people read it, in ``zone``: "Do., 4. Dez., 17:55" (the year only when
    it is not this year). A time that does not parse is shown as stored."""
    t = translator(lang)
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return at
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("Europe/Berlin")
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    when = when.astimezone(tz)
    this_year = (now or datetime.now(tz)).astimezone(tz).year
    values = {
        "weekday": t("time.weekdays").split(",")[when.weekday()],
        "day": when.day,
        "month": t("time.months").split(",")[when.month - 1],
        "year": when.year,
        "hour": when.hour,
        "minute": when.minute,
    }
    return t("time.format" if when.year == this_year else "time.format_year", **values)


def caption_source_text(source: str, t: Callable[..., str]) -> str:
    """Where an episode's captions come from, in words: recognised, none, the cards, a (corrected) file."""
    if source in ("auto", "off", "cards"):
        return t(f"source.{source}")
    if not source:
        return "\u2013"  # an en dash: nothing
    if ".captions." in source:  # the file the studio saves corrections to
        return t("source.edited", name=source)
    return t("source.file", name=source)


def open_points_text(rules: int, words: int, t: Callable[..., str]) -> str:
    """ "3 Untertitel verletzen Regeln, 30 unsichere Wörter nicht geprüft" (the parts that are not 0)."""
    parts = []
    if rules:
        parts.append(t("review.open_rules_one") if rules == 1 else t("review.open_rules", n=rules))
    if words:
        parts.append(t("review.open_words_one") if words == 1 else t("review.open_words", n=words))
    return ", ".join(parts)
