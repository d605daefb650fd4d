"""The one hash of the build: a short, stable digest of bytes (files, fingerprints, cache keys)."""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
