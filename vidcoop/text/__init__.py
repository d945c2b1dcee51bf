"""One text layout for everything vidcoop draws: captions, cards, the job board and covers.

* :mod:`vidcoop.text.fit`: measure (Pillow, cached fonts), hyphenate, wrap
  (balanced lines, no article or preposition at a line end) and fit a text
  to a width by shrinking the font (captions; raises :class:`TextDoesNotFit`).
* :mod:`vidcoop.text.box`: fit paragraphs into a box with a height, with web
  addresses that break only after ``/``, ``?``, ``&``, ``@`` or ``.`` (job
  cards, covers, brand cards).

Pillow loads on first measurement, not at import.
"""
