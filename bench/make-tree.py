#!/usr/bin/env python3
"""Builds a benchmark tree fast: FILES files of SIZE bytes spread over DIRS directories under DEST.
Usage: make-tree.py DEST FILES DIRS SIZE"""
import os
import sys

dest, files, dirs, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
payload = b"x" * size
per_dir = -(-files // dirs)
made = 0
for d in range(dirs):
    path = os.path.join(dest, "d%04d" % d)
    os.makedirs(path, exist_ok=True)
    for f in range(per_dir):
        if made == files:
            break
        fd = os.open(os.path.join(path, "f%06d.log" % f), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        if size:
            os.write(fd, payload)
        os.close(fd)
        made += 1
