"""Key pairs a service generates at first start and keeps in its data folder.

Nothing secret ships in the repository or an image: the first start writes a private
key (mode 0600) under the service's ``keys_dir``; later starts read it. Rotation adds a
newer key: the newest signs, every key in the folder stays in the published JWKS so
tokens and signatures made with an older one verify until they expire. Retiring a key
removes it from the folder and the JWKS: what it signed stops verifying (a leaked key).
``<service> keys rotate`` and ``<service> keys retire KID`` do both on a running service.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

Algorithm = Literal["RS256", "EdDSA"]
PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
KID_FORMAT = "%Y%m%dT%H%M%S%f"  # a key's id is when it was made (UTC)


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: Algorithm
    private: PrivateKey

    def public_jwk(self) -> dict[str, Any]:
        public = self.private.public_key()
        jwk: dict[str, Any] = json.loads(
            RSAAlgorithm.to_jwk(public)
            if isinstance(public, rsa.RSAPublicKey)
            else OKPAlgorithm.to_jwk(public)
        )
        return jwk | {"kid": self.kid, "alg": self.algorithm, "use": "sig"}


class KeyRing:
    """The keys in one folder, newest last; ``current`` signs.

    A running service sees a rotation (or a retired key) within a second without a
    restart: the folder is read again when it has changed.
    """

    def __init__(self, folder: Path, algorithm: Algorithm) -> None:
        self.folder = folder
        self.algorithm = algorithm
        self._seen: tuple[int, float] = (-1, 0.0)  # folder mtime, when it was last looked at
        self._keys = _load(folder, algorithm)
        if not self._keys:
            self.rotate()
        self._seen = (_mtime(folder), time.monotonic())

    @property
    def keys(self) -> list[SigningKey]:
        self._refresh()
        return self._keys

    @property
    def current(self) -> SigningKey:
        return self.keys[-1]

    def rotate(self) -> SigningKey:
        """Make a new key; it signs from now on, the older ones still verify."""
        self.folder.mkdir(parents=True, exist_ok=True)
        kid = dt.datetime.now(dt.UTC).strftime(KID_FORMAT)
        private = _generate(self.algorithm)
        path = self.folder / f"{kid}.{self.algorithm}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(
                private.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        key = SigningKey(kid, self.algorithm, private)
        self._keys.append(key)
        return key

    def retire(self, kid: str, *, live_seconds: float, at_once: bool = False) -> None:
        """Remove an older key: what it signed no longer verifies.

        ValueError for the key that signs now, for one not in the folder, and, unless
        ``at_once`` (a leaked key), for one that signed within the last ``live_seconds``
        (the longest what it signs lives): what it signed may still be in use.
        """
        kids = [k.kid for k in self.keys]
        if kid not in kids:
            raise ValueError(f"no key {kid} in {self.folder}")
        if kid == kids[-1]:
            raise ValueError(f"{kid} signs now: rotate first, then retire it")
        stopped = _created(kids[kids.index(kid) + 1])
        live_until = stopped + dt.timedelta(seconds=live_seconds)
        if not at_once and dt.datetime.now(dt.UTC) < live_until:
            raise ValueError(
                f"{kid} signed until {stopped:%H:%M:%S} UTC and what it signed may be in use "
                f"until {live_until:%H:%M:%S} UTC; retire it then, or now with --now if leaked"
            )
        path = self.folder / f"{kid}.{self.algorithm}.pem"
        path.unlink()
        self._keys = [k for k in self._keys if k.kid != kid]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self.keys]}

    def _refresh(self) -> None:
        mtime, looked = self._seen
        now = time.monotonic()
        if now - looked < 1.0:
            return
        current = _mtime(self.folder)
        if current != mtime:
            self._keys = _load(self.folder, self.algorithm) or self._keys
        self._seen = (current, now)


def _created(kid: str) -> dt.datetime:
    return dt.datetime.strptime(kid, KID_FORMAT).replace(tzinfo=dt.UTC)


def _mtime(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except FileNotFoundError:
        return -1


def _generate(algorithm: Algorithm) -> PrivateKey:
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ed25519.Ed25519PrivateKey.generate()


def _load(folder: Path, algorithm: Algorithm) -> list[SigningKey]:
    keys = []
    for path in sorted(folder.glob(f"*.{algorithm}.pem")):
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(private, rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey)
        keys.append(SigningKey(path.name.split(".")[0], algorithm, private))
    return keys
