"""Helpers the test modules share (importable: `from tests.support.voting import Rounds`).

Each module has one job; none holds fixtures that pytest collects by itself: the
`conftest.py` files import the fixtures they publish from here.
"""
