"""Key pairs a service generates at first start and keeps in its data folder.

Nothing secret ships in the repository or an image: the first start writes a private
key (mode 0600) under the service's ``keys_dir``; later starts read it. Rotation adds a
newer key: the newest signs, every key in the folder stays in the published JWKS so
tokens and signatures made with an older one verify until they expire.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm

Algorithm = Literal["RS256", "EdDSA"]
PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


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
    """The keys in one folder, newest last; ``current`` signs."""

    def __init__(self, folder: Path, algorithm: Algorithm) -> None:
        self.folder = folder
        self.algorithm = algorithm
        self.keys = _load(folder, algorithm) or [self.rotate()]

    @property
    def current(self) -> SigningKey:
        return self.keys[-1]

    def rotate(self) -> SigningKey:
        """Make a new key; it signs from now on, the older ones still verify."""
        self.folder.mkdir(parents=True, exist_ok=True)
        kid = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
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
        if hasattr(self, "keys"):
            self.keys.append(key)
        return key

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self.keys]}


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
