"""Normalisers: a text span (number, money, date, law …) → its normalised value."""
