#!/usr/bin/env python3
"""Run the userspace unit tests of the test rig; close with 'unit: N passed, N failed'."""
import sys
import unittest
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here.parent))
suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py")
res = unittest.TextTestRunner(verbosity=2).run(suite)
bad = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
print(f"unit: {res.testsRun - bad - len(res.skipped)} passed, {bad} failed, {len(res.skipped)} skipped")
sys.exit(1 if bad else 0)
