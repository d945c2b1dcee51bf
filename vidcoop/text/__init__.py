"""One text layout for everything vidcoop draws: captions, cards, the job board and covers.

* :mod:`vidcoop.text.fonts`: the cached Pillow fonts and widths in pixels.
* :mod:`vidcoop.text.hyphenate`: where a German compound may break.
* :mod:`vidcoop.text.breaks`: break costs (no article or preposition at a line end).
* :mod:`vidcoop.text.tokens`: the pieces the line breaker places.
* :mod:`vidcoop.text.fit`: wrap (balanced lines) and fit a text to a width by
  shrinking the font (captions; raises :class:`TextDoesNotFit`).
* :mod:`vidcoop.text.box`: fit paragraphs into a box with a height, with web
  addresses that break only after ``/``, ``?``, ``&``, ``@`` or ``.`` (job
  cards, covers, brand cards).

Pillow loads on first measurement, not at import.
"""
