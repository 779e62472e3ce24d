"""Password hashing (argon2id, argon2-cffi's recommended parameters) and a basic strength rule."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The encoded argon2id hash (salt and parameters included), the only form a password is kept in."""
    return _hasher.hash(password)


def check_password(encoded: str, password: str) -> bool:
    try:
        return _hasher.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(name: str, password: str) -> str | None:
    """Why `password` is too weak for user `name`, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if name and name.lower() in password.lower():
        return "a password must not contain the user name"
    kinds = [any(c.isalpha() for c in password), any(c.isdigit() for c in password)]
    kinds.append(any(not c.isalnum() for c in password))
    if sum(kinds) < 2:
        return "mix letters with digits or symbols"
    return None
