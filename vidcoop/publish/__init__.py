"""Ready to post: a post package per platform, the job link page and the week's plan.

* :mod:`vidcoop.channel.platforms` — the platform registry with each platform's limits (and where they come from).
* :mod:`vidcoop.publish.post` — titles, descriptions and hashtags from the channel's templates, checked
  against the limits and the partner rule, written as ``OUT.post.json`` and ``OUT.post.md``.
* :mod:`vidcoop.publish.linkpage` — the static "Link in Bio" page listing the week's jobs.
* :mod:`vidcoop.publish.plan` — the week's posting plan by day, cadence gaps, and ``week.ics``.

Nothing here starts a process or touches a video; it works from episodes, the channel and rendered files.
"""
