"""Runs every ```python block of a Markdown document; fails if any raises.

Keeps worked examples in compliance-docs/ executable, so a document cannot
drift from the implementation (the C++ test pins the same value).
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```python\n(.*?)```", text, re.S)
if not blocks:
    sys.exit(f"{sys.argv[1]}: no python blocks found")
for i, block in enumerate(blocks, 1):
    exec(compile(block, f"{sys.argv[1]}#python-block-{i}", "exec"), {})
print(f"{sys.argv[1]}: {len(blocks)} python block(s) ran clean")
