#!/usr/bin/env python3
"""Check a live softres tree (configfs and its sysfs mirror) against softres.json.

Usage: check.py [SCHEMA]. Prints one line per difference and exits 1 when
there is any; exits 0 with a summary line when the tree conforms.
"""
import errno
import json
import os
import re
import stat
import sys
from pathlib import Path


def check_value(name, spec, types, value):
    if spec["type"] == "enum":
        return value in spec["values"]
    if spec["type"] == "keyword":  # "KEYWORD: words"
        m = re.fullmatch(r"([a-z-]+): .+", value)
        return m is not None and m.group(1) in spec["keywords"]
    return re.fullmatch(types[spec["type"]], value) is not None


def check_tree(schema, root, mode_key, writable, only_here=None):
    """Differences between the tree at root and the schema; only_here are
    the files this tree has beside the shared attributes (write-only: their
    mode is checked, not a value)."""
    diffs = []
    types, attrs = schema["types"], schema["attributes"]
    only_here = only_here or {}
    group = re.compile(schema["configfs"]["group"])
    if not root.is_dir():
        return [f"{root}: missing"]
    groups = sorted(p for p in root.iterdir())
    if not groups:
        diffs.append(f"{root}: no range groups")
    for g in groups:
        if not group.fullmatch(g.name) or not g.is_dir():
            diffs.append(f"{g}: not a range group ({group.pattern})")
            continue
        files = {p.name for p in g.iterdir()}
        for name in sorted(only_here):
            if name not in files:
                diffs.append(f"{g / name}: missing")
                continue
            mode = stat.S_IMODE((g / name).stat().st_mode)
            if mode != int(only_here[name]["mode"], 8):
                diffs.append(f"{g / name}: mode {mode:04o}, schema says {only_here[name]['mode']}")
        files -= set(only_here)
        for extra in sorted(files - set(attrs)):
            diffs.append(f"{g / extra}: not in the schema")
        for missing in sorted(set(attrs) - files):
            diffs.append(f"{g / missing}: missing")
        for name in sorted(files & set(attrs)):
            spec, path = attrs[name], g / name
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode != int(spec[mode_key], 8):
                diffs.append(f"{path}: mode {mode:04o}, schema says {spec[mode_key]}")
            value = path.read_text().rstrip("\n")
            if not check_value(name, spec, types, value):
                diffs.append(f"{path}: '{value}' is not a valid {spec['type']}")
    if writable and groups:
        for op, target in (("mkdir", root / "range999"), ("rmdir", groups[0])):
            try:
                (os.mkdir if op == "mkdir" else os.rmdir)(target)
                diffs.append(f"{target}: {op} succeeded, schema says refused")
            except OSError as e:
                if e.errno != errno.EPERM:
                    diffs.append(f"{target}: {op} failed with {errno.errorcode[e.errno]}, expected EPERM")
    return diffs


def main():
    schema_path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("softres.json"))
    schema = json.loads(schema_path.read_text())
    diffs = check_tree(schema, Path(schema["configfs"]["path"]), "configfs_mode", True)
    diffs += check_tree(schema, Path(schema["sysfs"]["path"]), "sysfs_mode", False,
                        schema["sysfs"].get("files"))
    for d in diffs:
        print(d)
    if diffs:
        return 1
    print(f"schema: {schema_path.name}: the live tree conforms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
