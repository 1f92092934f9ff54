"""The anchor of a whole `yuanwen check` process: what a user might write instead, with difflib.

python benchmarks/difflib_pair.py SOURCE REPRINT
"""

import difflib
import sys
from pathlib import Path

source, reprint = (Path(path).read_text(encoding="utf-8") for path in sys.argv[1:3])
for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, source, reprint, autojunk=False).get_opcodes():
    if tag != "equal":
        print(tag, repr(source[i1:i2]), repr(reprint[j1:j2]))
