"""Fails if compliance-docs/iso-10002-traceability.md names a test that does
not exist: `Suite.Test` must be a TEST/TEST_F/TEST_P in tests/, any other
name an add_test(NAME ...) in a CMakeLists.txt under tests/."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
doc = (root / "compliance-docs" / "iso-10002-traceability.md").read_text(encoding="utf-8")
tests_dir = root / "tests"
sources = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                    for p in tests_dir.rglob("*.cc"))
cmake = "\n".join(p.read_text(encoding="utf-8") for p in tests_dir.rglob("CMakeLists.txt"))
defined = set(re.findall(r"TEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)", sources))
ctest_names = set(re.findall(r"add_test\(NAME\s+(\w+)", cmake))

named, missing = 0, []
for row in doc.splitlines():
    if not row.startswith("|"):
        continue
    cells = [c.strip() for c in row.strip("|").split("|")]
    last = cells[-1]
    for name in [n.strip() for n in last.split(",")]:
        m = re.fullmatch(r"(\w+)\.(\w+)", name)
        if m:
            named += 1
            if (m.group(1), m.group(2)) not in defined:
                missing.append(name)
        elif re.fullmatch(r"[a-z0-9_]+", name) and "_" in name:
            named += 1
            if name not in ctest_names:
                missing.append(name)
if named < 20:
    sys.exit(f"only {named} test names found in the traceability matrix: parser or document broken")
if missing:
    sys.exit("traceability matrix names tests that do not exist: " + ", ".join(missing))
print(f"traceability: {named} test references, all exist")
