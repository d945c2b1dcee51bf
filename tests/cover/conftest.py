"""The face footage of tests/faces (scikit-image's astronaut composited into texture), for covers."""

from tests.faces.conftest import face_assets, face_footage

__all__ = ["face_assets", "face_footage"]
