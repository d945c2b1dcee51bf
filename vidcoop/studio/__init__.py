"""vidcoop studio: review, correct and approve the week's videos in the browser.

The web app (:mod:`vidcoop.studio.app`, needs ``vidcoop[studio]``) is a thin layer
over plain library modules that the CLI and the batch use too:

* :mod:`vidcoop.studio.review`: the reviews file and what counts as approved;
* :mod:`vidcoop.studio.week`: each episode's content key, cached preview and status;
* :mod:`vidcoop.studio.captions`: corrected captions, word-time alignment, the manifest edit.

Nothing here imports Starlette until the app is created.
"""
