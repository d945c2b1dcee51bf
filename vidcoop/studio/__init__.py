"""vidcoop studio: review, correct and approve the week's videos in the browser.

The web app (:mod:`vidcoop.studio.app`, needs ``vidcoop[studio]``) is a thin layer
over library code; what counts as approved lives below, in :mod:`vidcoop.review`:

* :mod:`vidcoop.studio.week`: each episode's content key, cached preview and status (also ``vidcoop status``);
* :mod:`vidcoop.studio.captions`: corrected captions, word-time alignment, the manifest edit;
* :mod:`vidcoop.studio.security`: host check, access token, CSRF;
* :mod:`vidcoop.studio.views`: one module per page; :mod:`vidcoop.studio.previews`: preview renders.

Nothing here imports Starlette until the app is created.
"""
