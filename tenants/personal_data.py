"""Residents' and staff's phone and ID numbers: encrypted at rest (AES-GCM), found by a keyed
hash (HMAC-SHA256), shown masked unless the viewer may see them."""

from __future__ import annotations

import hashlib
import hmac
import os
import re

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class PersonalDataCipher:
    def __init__(self, data_key: bytes, lookup_key: bytes) -> None:
        # Keys of any length are stretched to 32 bytes; the hash key stays separate.
        self._aead = AESGCM(hashlib.sha256(b"firstcall:data:" + data_key).digest())
        self._lookup = hashlib.sha256(b"firstcall:lookup:" + lookup_key).digest()

    def encrypt(self, value: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, value.encode(), None)

    def decrypt(self, blob: bytes) -> str:
        return self._aead.decrypt(blob[:12], blob[12:], None).decode()

    def encrypt_bytes(self, data: bytes) -> bytes:
        """A whole file (an uploaded archive workbook), with the same key as a phone number."""
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, data, None)

    def decrypt_bytes(self, blob: bytes) -> bytes:
        return self._aead.decrypt(blob[:12], blob[12:], None)

    def lookup_hash(self, value: str) -> bytes:
        return hmac.new(self._lookup, normalize(value).encode(), hashlib.sha256).digest()

    def exact_hash(self, value: str) -> bytes:
        """The lookup hash of a value compared exactly (a WeChat openid is case-sensitive)."""
        return hmac.new(self._lookup, b"exact:" + value.encode(), hashlib.sha256).digest()


def normalize(value: str) -> str:
    return re.sub(r"[\s\-()+]", "", value).upper()


def mask_phone(phone: str) -> str:
    digits = normalize(phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str) -> str:
    n = normalize(number)
    if len(n) < 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]
