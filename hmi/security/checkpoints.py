"""Signed statements of how far the audit trail reached: its anchor and its checkpoints.

A statement says "the trail had `rows` rows, the last with hash `last_hash`" and is signed with this
station's Ed25519 key (`audit-signing-key.pem` in the user's data dir, 0600, made on first use).
- The anchor (`<file>.anchor`) is rewritten before every commit, naming the state before it too
  (`previous`): a crash before the COMMIT leaves the trail at `previous`, which is an interrupted
  write, never a deletion. After the commit it is rewritten without `previous`.
- Checkpoints are statements appended to two logs, `<file>.checkpoints` and a copy in the user's data
  dir, every CHECKPOINT_S or CHECKPOINT_ROWS and at close. Whoever deletes the newest rows together
  with the anchor must also find and cut both logs; whoever edits a statement needs the key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..paths import data_root
from .errors import AuditError

KEY_NAME = "audit-signing-key.pem"
COPIES_DIR = "audit-checkpoints"
CHECKPOINT_S = 10.0
"""A checkpoint at most this long after a row is committed."""
CHECKPOINT_ROWS = 100
"""... or after this many rows, whichever comes first."""


def station_key_path() -> Path:
    return data_root() / KEY_NAME


def anchor_path(path: Path) -> Path:
    return Path(f"{path}.anchor")


def checkpoint_paths(path: Path, copy: Path | None = None) -> tuple[Path, Path]:
    """The two checkpoint logs of the trail at `path`: beside it, and `copy` (default: one named after
    the trail's folder and path in the user's data dir)."""
    if copy is None:
        key = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:8]
        copy = data_root() / COPIES_DIR / f"{Path(path).parent.name}-{Path(path).stem}-{key}.checkpoints"
    return Path(f"{path}.checkpoints"), Path(copy)


def fingerprint(public: str) -> str:
    """A short, readable name of a public key (base64) to compare by eye: 'SHA256:3f2a 91c0 ...'."""
    try:
        raw = base64.b64decode(public, validate=True)
    except (binascii.Error, ValueError):
        raw = public.encode()
    digest = hashlib.sha256(raw).hexdigest()[:24]
    return "SHA256:" + " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


@dataclass(frozen=True)
class Statement:
    """The trail had `rows` rows ending in `last_hash` at `ts`; `previous`: the state it was written
    from (an anchor written before its commit); `first`: row 1's hash, which trail this is (one moved
    aside and started anew is another). `key` and `signature`: base64, empty when unsigned."""

    rows: int
    last_hash: str
    ts: float
    previous: tuple[int, str] | None = None
    key: str = ""
    signature: str = ""
    first: str = ""

    def payload(self) -> bytes:
        fields = asdict(self)
        del fields["signature"]
        fields["previous"] = list(self.previous) if self.previous else None
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    @property
    def signed(self) -> bool:
        return bool(self.signature)

    @property
    def legacy(self) -> bool:
        """Written by an OpenHMI before signed anchors: rows and last hash only."""
        return not (self.signature or self.key or self.first or self.previous)

    def genuine(self) -> bool:
        """Whether the signature is the embedded key's, over exactly these fields."""
        try:
            public = Ed25519PublicKey.from_public_bytes(base64.b64decode(self.key, validate=True))
            public.verify(base64.b64decode(self.signature, validate=True), self.payload())
        except (InvalidSignature, ValueError, binascii.Error):
            return False
        return True

    def to_json(self) -> str:
        fields = {**json.loads(self.payload()), "signature": self.signature}
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Statement:
        """ValueError for anything that is not a statement."""
        try:
            data = json.loads(text)
            previous = data.get("previous")
            return cls(
                int(data["rows"]),
                str(data["last_hash"]),
                float(data.get("ts", 0.0)),
                None if previous is None else (int(previous[0]), str(previous[1])),
                str(data.get("key", "")),
                str(data.get("signature", "")),
                str(data.get("first", "")),
            )
        except (KeyError, TypeError, IndexError, AttributeError) as exc:
            raise ValueError(f"not a statement: {exc}") from None


class StationKey:
    """This station's signing key; load_or_create() makes it owner-only on first use."""

    def __init__(self, private: Ed25519PrivateKey):
        self._private = private
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public = base64.b64encode(raw).decode()

    @classmethod
    def load_or_create(cls, path: Path) -> StationKey:
        path = Path(path)
        try:
            return cls(_load(path))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError) as exc:
            raise AuditError(
                f"the station's audit signing key {path} cannot be read ({exc}): restore it from a "
                f"backup, or move it aside to make a new one (checkpoints signed so far then show as "
                f"signed by another key)"
            ) from exc
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return cls.load_or_create(path)
        except OSError as exc:
            raise AuditError(f"cannot create the station's audit signing key {path}: {exc}") from exc
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        return cls(private)

    def sign(
        self, rows: int, last_hash: str, ts: float, first: str, previous: tuple[int, str] | None = None
    ) -> Statement:
        unsigned = Statement(rows, last_hash, ts, previous, self.public, first=first)
        signature = base64.b64encode(self._private.sign(unsigned.payload())).decode()
        return replace(unsigned, signature=signature)


def _load(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 key")
    return key


def station_public_key(path: Path) -> str | None:
    """The public half of the station's key (base64), None when this machine has none (verify never
    makes a key)."""
    try:
        return StationKey(_load(Path(path))).public
    except (OSError, ValueError, TypeError):
        return None


def read_anchor(path: Path) -> Statement | None:
    """The anchor of the trail at `path`; None when there is none, ValueError when it is unreadable."""
    try:
        text = anchor_path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None
    return Statement.from_json(text)


def write_anchor(path: Path, statement: Statement) -> None:
    """Replace the anchor at once (fsync'd); call under the trail's write lock (one fixed temp name)."""
    target = anchor_path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(statement.to_json())
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)


def append_checkpoint(paths: tuple[Path, ...], statement: Statement) -> list[str]:
    """Append `statement` to every log in `paths`; the problems of those that could not be written."""
    line = (statement.to_json() + "\n").encode()
    problems = []
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line)  # one write of one line: appends of two writers never interleave
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            problems.append(f"{path}: {exc}")
    return problems


@dataclass(frozen=True)
class CheckpointLog:
    path: Path
    statements: tuple[Statement, ...]
    unreadable: int
    """Lines that are no statement (a torn last line after a crash is not counted)."""
    present: bool


def read_checkpoints(path: Path) -> CheckpointLog:
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").split("\n")
    except FileNotFoundError:
        return CheckpointLog(Path(path), (), 0, False)
    except OSError:
        return CheckpointLog(Path(path), (), 1, True)
    torn = lines[-1]  # '' when the file ends with its newline, as every complete append does
    statements, unreadable = [], 0
    for line in lines[:-1]:
        try:
            statements.append(Statement.from_json(line))
        except ValueError:
            unreadable += 1
    if torn.strip():
        with contextlib.suppress(ValueError):
            statements.append(Statement.from_json(torn))
    return CheckpointLog(Path(path), tuple(statements), unreadable, True)


def has_checkpoints(paths: tuple[Path, ...], first: str) -> bool:
    """Whether either log holds a checkpoint of the trail whose row 1 has hash `first`."""
    return any(s.first == first for path in paths for s in read_checkpoints(path).statements)


INTERRUPTED = "interrupted"
MISMATCH = "mismatch"
UNSIGNED = "unsigned"
"""An anchor from before signed anchors that matches its trail: signed by the next write."""


def compare_anchor(
    anchor: Statement | ValueError | None,
    rows: int,
    last_hash: str,
    first: str,
    station_key: str | None,
    signed_before: bool,
) -> tuple[str, str] | None:
    """None when the trail's tail (`rows`, `last_hash`; row 1's hash `first`) is what the anchor says;
    else (INTERRUPTED, why) for a write a crash cut short, (UNSIGNED, why) for a matching anchor from
    before signing, or (MISMATCH, what seems to have happened). `signed_before`: the trail has signed
    checkpoints, so an unsigned anchor cannot be an old one."""
    if isinstance(anchor, ValueError):
        return MISMATCH, f"the anchor file cannot be read ({anchor}): it was edited or replaced"
    if anchor is None:
        return None if rows == 0 else (MISMATCH, "the anchor file is missing")
    if anchor.legacy and not signed_before:
        # Written by an OpenHMI before signing: it still counts rows, so deletions show as before.
        if (anchor.rows, anchor.last_hash) == (rows, last_hash):
            return UNSIGNED, "the anchor is from before signed anchors; it matches and is signed from now on"
        anchor = replace(anchor, first=first)
    elif not anchor.signed:
        return MISMATCH, "the anchor is not signed: it was replaced"
    elif not anchor.genuine():
        return MISMATCH, "the anchor was edited: its signature does not match"
    elif station_key is not None and anchor.key != station_key:
        return MISMATCH, (
            f"the anchor is signed by another key ({fingerprint(anchor.key)}), not this station's "
            f"({fingerprint(station_key)})"
        )
    same_trail = anchor.first == first
    if same_trail and (anchor.rows, anchor.last_hash) == (rows, last_hash):
        return None
    if anchor.previous == (rows, last_hash) and (same_trail or rows == 0):
        return INTERRUPTED, (
            f"the app stopped while writing {anchor.rows - rows} row(s) after row {rows} (a crash or "
            f"power cut): they were not saved"
        )
    if not same_trail:  # no rows yet: a new trail where the one before was moved aside
        return (
            None if rows == 0 else (MISMATCH, "the anchor belongs to another trail: this file was replaced")
        )
    if anchor.rows > rows:
        return (
            MISMATCH,
            f"the newest {anchor.rows - rows} row(s) were deleted: the anchor counts {anchor.rows}",
        )
    if anchor.rows < rows:
        return MISMATCH, f"{rows - anchor.rows} row(s) after row {anchor.rows} were added outside the app"
    return MISMATCH, "the last row is not the one the anchor recorded: the chain was rewritten"


def anchor_or_error(path: Path) -> Statement | ValueError | None:
    try:
        return read_anchor(path)
    except ValueError as exc:
        return exc
