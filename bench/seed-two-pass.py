#!/usr/bin/env python3
"""The seed's approach, for comparison: stat every file for the size, then shutil.rmtree."""
import shutil
import sys
from pathlib import Path

target = Path(sys.argv[1])
size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
shutil.rmtree(target)
print(size)
