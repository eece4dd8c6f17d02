# -*- coding: utf-8 -*-
"""The portal's API calls per month, as ``ckan partnership notify`` moves
them from Redis (where each call is counted) to PostgreSQL."""
from __future__ import annotations

from sqlalchemy import Column, text, types

from ckan.model import Session
from ckan.model.base import BaseModel

__all__ = ["ApiCalls", "add_api_calls", "stored_api_calls", "stored_api_calls_of_months"]


class ApiCalls(BaseModel):  # type: ignore[misc]
    """The calls of one month (``2026-12``) moved out of Redis so far."""

    __tablename__ = "partnership_api_calls"

    month = Column(types.UnicodeText, primary_key=True)
    calls = Column(types.BigInteger, nullable=False, server_default="0")


def add_api_calls(month: str, calls: int) -> None:
    """Add ``calls`` to the month's row (created at 0), in the current
    transaction: one statement, safe against a concurrent add."""
    Session.execute(text(
        "INSERT INTO partnership_api_calls (month, calls) VALUES (:month, :calls) "
        "ON CONFLICT (month) DO UPDATE SET calls = partnership_api_calls.calls + :calls"),
        {"month": month, "calls": calls})


def stored_api_calls(month: str) -> int:
    """The month's calls stored so far (0 without a row)."""
    return int(Session.execute(
        text("SELECT calls FROM partnership_api_calls WHERE month = :month"),
        {"month": month}).scalar() or 0)


def stored_api_calls_of_months(months: list[str]) -> dict[str, int]:
    """The calls stored so far of each of ``months`` that has a row."""
    rows = Session.execute(
        text("SELECT month, calls FROM partnership_api_calls WHERE month = ANY(:months)"),
        {"months": list(months)})
    return {month: int(calls) for month, calls in rows}
