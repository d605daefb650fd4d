"""The one hash of the build: a short, stable digest of bytes (files, fingerprints, cache keys)."""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_bytes(data: bytes) -> bytes:
    """The same digest, as its 16 bytes (where digests are digested again: half as many bytes)."""
    return hashlib.blake2b(data, digest_size=16).digest()
