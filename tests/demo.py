#!/usr/bin/env python3
"""Boot the built-in topology and print who owns each Soft Reserved range."""
import sys

import runner
from runner import BUILD, TOP, Range, Scenario, Snapshot, fmt_size, range_outcome


def owner_words(r, snap, regions):
    """'cxl region0 -> dax0.0', 'hmem -> dax1.0' or 'nobody (stranded)'."""
    devs = [d for d in snap.dax if any(x.overlap(r) for x in d.ranges)]
    if not devs:
        return "nobody (stranded)"
    words = []
    for d in devs:
        if d.provider == "cxl":
            reg = [name for name, rr in regions if rr.overlap(r)]
            words.append(f"cxl {','.join(reg)} -> {d.name}")
        else:
            words.append(f"{d.provider} -> {d.name}")
    return "; ".join(words)


def reasons(resdir, ranges):
    """Per-range reasons, as the kernel's arbiter logged its decisions."""
    f = resdir / "dmesg"
    decisions = runner.parse_decisions(f.read_text(errors="replace")) if f.exists() else {}
    return {f"range{i}": decisions[r.start][-1][1] for i, r in enumerate(ranges) if r.start in decisions}


def main():
    scn = Scenario.load(TOP / "tests/demo.toml")
    resdir = BUILD / "results" / "demo"
    ok, why = runner.boot(scn, [], resdir, 420)
    if not ok:
        print(f"demo: {why}; log in {resdir}")
        return 1
    snap = Snapshot.load(resdir / "loaded")
    regions = []
    for line in (resdir / "loaded" / "regions").read_text().splitlines():
        name, start, size, _commit = line.split()
        regions.append((name, Range(int(start, 0), int(start, 0) + int(size, 0) - 1)))
    why = reasons(resdir, scn.soft_reserved)
    kver = (BUILD / "default" / "kernelrelease").read_text().strip()
    npatch = len([p for p in (TOP / "kernel/patches").glob("*.patch") if not p.name.startswith("0000-")])
    print(f"softres demo: Linux {kver} + {npatch} softres patches, built-in topology")
    print(f"{'RANGE':7} {'START':12} {'SIZE':5} {'OWNER':28} {'ONLINE':6} REASON")
    for i, r in enumerate(scn.soft_reserved):
        o = range_outcome(r, snap)
        print(f"range{i:<2} {r.start:#012x} {fmt_size(r.size):5} {owner_words(r, snap, regions):28} "
              f"{o['online']:6} {why.get(f'range{i}', '-')}")
    boot_mt = int((resdir / "memtotal.boot").read_text())
    print(f"MemTotal: {boot_mt / 2**30:.2f} GiB after boot, {snap.memtotal / 2**30:.2f} GiB "
          f"with the owners loaded (+{fmt_size(snap.memtotal - boot_mt)})")
    splats = runner.log_splats((resdir / "console.log").read_text(errors="replace"))
    if splats:
        print(f"kernel log: {splats[0]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
