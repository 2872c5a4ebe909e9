#!/usr/bin/env python3
"""Boot the softres test kernel once per scenario and judge the outcome.

A scenario is a TOML file (tests/scenarios/): the Soft Reserved memory map,
the cxl_test platform, the kernel variant, the module load order(s), guest
steps, and the expected owners. The guest (tests/vm/guest-init) only records
raw facts into a shared folder; this file turns them into a verdict.

[expect] is what a softres kernel must do. [baseline] records what unpatched
Linux 6.12 does (per module order with per_order = [...]); --baseline boots
the baseline kernels (6.12 + test patches only) and asserts it. A scenario
with xfail = "why" is one the softres kernel does not get right yet: it must
still show the baseline outcome, and meeting [expect] fails it, so the
marker is removed when the fix lands.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
BUILD = Path(os.environ.get("BUILD", TOP / "build"))

# Kernel log lines that fail a scenario whatever its expectations.
SPLATS = re.compile(
    r"WARNING:|BUG:|Oops|Kernel panic|general protection fault|"
    r"possible circular locking|possible recursive locking|"
    r"inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|"
    r"DEBUG_LOCKS_WARN_ON|possible irq lock inversion|UBSAN:|KASAN:|kmemleak: \d+ new suspected|"
    r"EXPECTATION FAILED|ASSERTION FAILED"  # KUnit
)

UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(v):
    """'1G', '512M', '0x40000000', 1024 -> bytes."""
    if isinstance(v, int):
        return v
    v = v.strip()
    if v.lower().startswith("0x"):
        return int(v, 16)
    if v and v[-1].upper() in UNITS:
        return int(v[:-1]) * UNITS[v[-1].upper()]
    return int(v)


def fmt_size(n):
    for u in "TGMK":
        if n and n % UNITS[u] == 0:
            return f"{n // UNITS[u]}{u}"
    return str(n)


def memmap_arg(start, size):
    """The kernel parameter that turns guest RAM into Soft Reserved."""
    return f"memmap={fmt_size(size)}%{start:#x}-1+0xefffffff"


@dataclass
class Range:
    start: int
    end: int  # inclusive

    @property
    def size(self):
        return self.end - self.start + 1

    def overlap(self, other):
        s, e = max(self.start, other.start), min(self.end, other.end)
        return e - s + 1 if e >= s else 0

    def __str__(self):
        return f"{self.start:#x}+{fmt_size(self.size)}"


@dataclass
class IomemEntry:
    name: str
    range: Range
    depth: int


def parse_iomem(text):
    out = []
    for line in text.splitlines():
        m = re.match(r"^( *)([0-9a-f]+)-([0-9a-f]+) : (.*)$", line)
        if m:
            out.append(IomemEntry(m.group(4), Range(int(m.group(2), 16), int(m.group(3), 16)),
                                  len(m.group(1)) // 2))
    return out


@dataclass
class DaxDev:
    name: str
    provider: str  # cxl | hmem | other
    driver: str
    ranges: list = field(default_factory=list)

    @property
    def size(self):
        return sum(r.size for r in self.ranges)


def provider_of(sysfs_path):
    if re.search(r"/hmem\.\d+/", sysfs_path):
        return "hmem"
    if re.search(r"/region\d+/dax_region\d+/", sysfs_path):
        return "cxl"
    return "other"


def parse_dax(text):
    devs = {}
    for line in text.splitlines():
        name, path, driver, start, end = line.split()
        d = devs.setdefault(name, DaxDev(name, provider_of(path), driver))
        d.ranges.append(Range(int(start, 0), int(end, 0)))
    return sorted(devs.values(), key=lambda d: d.name)


@dataclass
class Snapshot:
    iomem: list
    dax: list
    memtotal: int

    @classmethod
    def load(cls, d):
        return cls(parse_iomem((d / "iomem").read_text()),
                   parse_dax((d / "dax").read_text()),
                   int((d / "memtotal").read_text()))


# The arbiter's decision, logged once per range by dax_hmem (%pr prints
# "[mem START-END flags F]").
DECISION = re.compile(r"\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)[^\]]*\]: owner (\w+): (.*)$")


def parse_decisions(text):
    """{range start: [(owner, reason), ...]} in log order."""
    out = {}
    for line in text.splitlines():
        m = DECISION.search(line)
        if m:
            out.setdefault(int(m.group(1), 16), []).append((m.group(3), m.group(4).strip()))
    return out


def range_outcome(r, snap, decisions=None):
    """Who owns Soft Reserved range r, how much of it is online, and why."""
    devs = [d for d in snap.dax if any(x.overlap(r) for x in d.ranges)]
    covered = sum(x.overlap(r) for d in devs for x in d.ranges)
    online = sum(e.range.overlap(r) for e in snap.iomem if e.name == "System RAM (kmem)")
    providers = sorted({d.provider for d in devs})
    if not devs:
        owner = "none"
    elif len(providers) > 1:
        owner = "mixed"
    elif covered == r.size:
        owner = providers[0]
    else:
        owner = f"partial-{providers[0]}"
    out = {"owner": owner, "online": fmt_size(online)}
    logged = (decisions or {}).get(r.start)
    if logged:
        out["reason"] = logged[-1][1]
    return out


def outcome(scn, snap, boot_memtotal, step_rcs, decisions=None):
    """The facts a scenario's expectations are written in."""
    return {
        "ranges": [range_outcome(r, snap, decisions) for r in scn.soft_reserved],
        "dax": sorted(f"{d.provider}:{fmt_size(d.size)}" for d in snap.dax),
        "memtotal_delta": fmt_size(snap.memtotal - boot_memtotal),
        "steps_rc": step_rcs,
    }


def compare(want, got):
    """Differences between expected and actual outcome, in words."""
    diffs = []
    for key, w in want.items():
        if key in ("xfail",):
            continue
        if key == "memtotal_delta":
            w = fmt_size(parse_size(w))
        if key == "ranges":
            if len(w) != len(got["ranges"]):
                diffs.append(f"{len(got['ranges'])} ranges, expected {len(w)}")
                continue
            for i, (wr, gr) in enumerate(zip(w, got["ranges"])):
                for k, v in wr.items():
                    if k == "reason":  # a regular expression
                        if not re.fullmatch(v, gr.get(k) or ""):
                            diffs.append(f"range{i} reason: expected /{v}/, got {gr.get(k)}")
                        continue
                    v = fmt_size(parse_size(v)) if k == "online" else v
                    if gr.get(k) != v:
                        diffs.append(f"range{i} {k}: expected {v}, got {gr.get(k)}")
        elif got.get(key) != w:
            diffs.append(f"{key}: expected {w}, got {got.get(key)}")
    return diffs


def without_reasons(want):
    """[expect] minus the arbiter's logged reasons, which 6.12 does not log."""
    out = dict(want)
    if "ranges" in out:
        out["ranges"] = [{k: v for k, v in r.items() if k != "reason"} for r in out["ranges"]]
    return out


def describe(scn, got):
    parts = []
    for r, o in zip(scn.soft_reserved, got["ranges"]):
        if o["owner"] == "none":  # the reason tells a choice from stranded memory
            parts.append(f"{r}: no owner maps it")
        else:
            parts.append(f"{r}: {o['owner']}, {o['online']} online")
        if o.get("reason"):
            parts[-1] += f" ({o['reason']})"
    parts.append(f"MemTotal +{got['memtotal_delta']}")
    return "; ".join(parts)


def log_splats(text):
    return [line.strip() for line in text.splitlines() if SPLATS.search(line)]


def kmemleak_report(text):
    """(number of leaked objects, the first one in one line) from
    /sys/kernel/debug/kmemleak; (0, "") when it lists nothing."""
    objs = re.split(r"^(?=unreferenced object )", text, flags=re.M)
    objs = [o for o in objs if o.startswith("unreferenced object ")]
    if not objs:
        return 0, ""
    lines = objs[0].splitlines()
    # the object, who allocated it, and where: the backtrace's functions
    # ("    func+0x1c/0x80 [module]", after the "backtrace" line)
    bt = next((i for i, ln in enumerate(lines) if ln.strip().startswith("backtrace")), len(lines))
    calls = [ln.split()[0].split("+")[0] for ln in lines[bt + 1:] if ln.strip()]
    first = ", ".join([lines[0].strip().rstrip(":"), lines[1].strip()]) + ": " + " < ".join(calls[:8])
    return len(objs), first


@dataclass
class Scenario:
    path: Path
    name: str
    data: dict
    soft_reserved: list

    @classmethod
    def load(cls, path):
        data = tomllib.loads(Path(path).read_text())
        srs = [Range(parse_size(s["start"]), parse_size(s["start"]) + parse_size(s["size"]) - 1)
               for s in data.get("soft_reserved", [])]
        return cls(Path(path), Path(path).stem, data, srs)

    @property
    def orders(self):
        return self.data.get("orders") or [self.data.get("load", [])]


def cmdline(scn, order, resdir):
    args = [
        "console=ttyS0", "root=/dev/root", "rootfstype=9p",
        "rootflags=trans=virtio,version=9p2000.L,msize=262144", "ro",
        f"init={TOP}/tests/vm/guest-init", "panic=-1", "printk.devkmsg=on",
        # a loaded host stalls TCG enough for the IO-APIC timer check to
        # fail and panic the boot ("IO-APIC + timer doesn't work")
        "no_timer_check",
    ]
    args += [memmap_arg(r.start, r.size) for r in scn.soft_reserved]
    if order:
        args.append("modprobe.blacklist=" + ",".join(order))
    args += scn.data.get("cmdline", [])
    return " ".join(args)


def write_env(scn, order, resdir, kdir):
    steps = scn.data.get("steps", [])
    env = [
        f"MODULES={kdir}/lib/modules",
        f"TOP={TOP}",
        f"PLATFORM={sh_quote(scn.data.get('platform', ''))}",
        f"LOAD={sh_quote(' '.join(order))}",
    ]
    if scn.data.get("hold_cxl"):  # CXL devices stay driverless until a step releases them
        env.append("HOLD_CXL=1")
    if scn.data.get("late_cxl_acpi"):  # cxl_acpi.0 unbound until the order reaches cxl_acpi
        env.append("LATE_CXL_ACPI=1")
    # init = "systemd": systemd boots the guest as on a distribution
    if scn.data.get("init") == "systemd":
        env.append("SYSTEMD=1")
    elif scn.data.get("init"):
        raise ValueError(f"{scn.name}: init = {scn.data['init']!r}: only \"systemd\" is known")
    # loaded before udevd starts, as from an initramfs or built in
    if scn.data.get("preload"):
        env.append(f"PRELOAD={sh_quote(' '.join(scn.data['preload']))}")
    # extra modprobe.d lines, e.g. an "install" that makes udev's load late
    conf = scn.data.get("modprobe_conf", [])
    if conf:
        env.append(f"MODPROBE_CONF={sh_quote(chr(10).join(conf))}")
    for mod, params in scn.data.get("params", {}).items():
        env.append(f"PARAMS_{mod}={sh_quote(params)}")
    for i, s in enumerate(steps):
        env.append(f"STEP_{i}={sh_quote(s)}")
    if has_kmemleak(kdir):  # the guest scans for leaks at the end of the boot
        env.append("KMEMLEAK=1")
    (resdir / "scenario.env").write_text("\n".join(env) + "\n")


def install_root(scn, resdir):
    """[root]: softres installed into the guest's root as an admin would,
    install = "deb" (the package make deb builds, unpacked) or "make" (make
    install), plus files such as /etc/softres.conf; the guest lays
    resdir/root over its read-only root."""
    root = scn.data.get("root")
    if not root:
        return True, ""
    dest = resdir / "root"
    how = root.get("install")
    if how == "deb":
        debs = sorted((BUILD / "deb").glob("softresctl_*.deb"))
        if not debs:
            p = subprocess.run(["make", "-s", "-C", str(TOP), "deb"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            debs = sorted((BUILD / "deb").glob("softresctl_*.deb"))
            if p.returncode or not debs:
                return False, "make deb failed: " + p.stdout[-300:]
        p = subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(dest)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elif how == "make":
        p = subprocess.run(["make", "-s", "-C", str(TOP / "userspace"), "install",
                            f"BUILD={BUILD / 'userspace'}", f"DESTDIR={dest}", "PREFIX=/usr"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    else:
        p = None
    if p is not None and p.returncode:
        return False, f"installing softres ({how}) into the guest root failed: " + p.stdout[-300:]
    # merged /usr, as on Debian 12: /lib, /bin and /sbin are links into /usr
    for top in ("lib", "bin", "sbin"):
        d = dest / top
        if d.is_dir() and not d.is_symlink():
            shutil.copytree(d, dest / "usr" / top, symlinks=True, dirs_exist_ok=True)
            shutil.rmtree(d)
    for path, text in root.get("files", {}).items():
        f = dest / path.lstrip("/")
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)
    return True, ""


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


# machine = "cxl": a q35 machine with what QEMU emulates of CXL (7.2): a
# CXL host bridge, a root port, a type-3 memory device (persistent memory:
# 7.2 has no volatile one) and one fixed memory window, which QEMU places
# above the guest's RAM, away from the Soft Reserved ranges. For the
# built-in kernel, which cannot host cxl_test.
# The CXL devices come last: a device without bus= lands on the newest PCI
# bus, and only bridges may sit on the CXL host bridge.
MACHINES = {
    "pc": (["-machine", "pc"], []),
    "cxl": (["-machine", "q35,cxl=on"], [
        "-object", "memory-backend-ram,id=cxl-mem0,share=on,size=256M",
        "-object", "memory-backend-ram,id=cxl-lsa0,share=on,size=1M",
        "-device", "pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1",
        "-device", "cxl-rp,port=0,bus=cxl.1,id=root_port13,chassis=0,slot=2",
        "-device", "cxl-type3,bus=root_port13,memdev=cxl-mem0,lsa=cxl-lsa0,id=cxl-pmem0",
        "-M", "cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G",
    ]),
}


def accel():
    """TCG unless KVM was asked for: KVM guests hang on some of these hosts."""
    a = os.environ.get("SOFTRES_ACCEL", "tcg")
    return "kvm" if a == "kvm" else "tcg,thread=single"


def kernel_variant(scn, baseline, kernel=None):
    """build/ folder of the kernel a scenario boots; kernel (--kernel)
    replaces the default variant, e.g. by stress, the default plus KASAN
    and kmemleak."""
    v = scn.data.get("kernel", "default")
    if baseline:
        return "baseline" if v == "default" else f"baseline-{v}"
    if kernel and v == "default":
        return kernel
    return v


# How much longer a boot of a variant takes than one of the default kernel
# under TCG (stress: KASAN checks every access, kmemleak scans all memory at
# the end of the boot). Measured with make stress, 2026-11-26.
SLOWER = {"stress": 4}


def has_kmemleak(kdir):
    """Whether the kernel in kdir finds leaks; its boots must then scan."""
    cfg = kdir / "config"
    return cfg.exists() and "CONFIG_DEBUG_KMEMLEAK=y" in cfg.read_text().splitlines()


def boot(scn, order, resdir, timeout, baseline=False, kernel=None):
    """Boot one guest; returns (ok, reason)."""
    variant = kernel_variant(scn, baseline, kernel)
    kdir = BUILD / variant
    if not (kdir / "bzImage").exists():
        return False, f"no kernel at {kdir} (run 'make kernel')"
    timeout *= SLOWER.get(variant, 1)
    machine, devices = MACHINES[scn.data.get("machine", "pc")]
    shutil.rmtree(resdir, ignore_errors=True)
    resdir.mkdir(parents=True)
    write_env(scn, order, resdir, kdir)
    ok, why = install_root(scn, resdir)
    if not ok:
        return False, why
    qemu = [
        "qemu-system-x86_64", *machine, "-accel", accel(),
        "-smp", "2", "-m", scn.data.get("memory", "6G"),
        "-display", "none", "-monitor", "none", "-nic", "none", "-no-reboot",
        "-serial", f"file:{resdir}/console.log",
        "-kernel", str(kdir / "bzImage"), "-append", cmdline(scn, order, resdir),
        "-fsdev", "local,id=root,path=/,security_model=none,readonly=on",
        "-device", "virtio-9p-pci,fsdev=root,mount_tag=/dev/root",
        "-fsdev", f"local,id=res,path={resdir},security_model=none",
        "-device", "virtio-9p-pci,fsdev=res,mount_tag=results",
        *devices,
    ]
    (resdir / "qemu.cmd").write_text(" ".join(qemu) + "\n")
    try:
        p = subprocess.run(qemu, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        (resdir / "qemu.out").write_bytes(p.stdout)
    except subprocess.TimeoutExpired:
        return False, f"timeout after {timeout}s"
    if not (resdir / "status").exists():
        return False, "guest did not finish (see console.log)"
    return True, ""


@dataclass
class Verdict:
    name: str
    status: str  # PASS FAIL XFAIL SKIP
    text: str


def judge_boot(scn, resdir):
    """Outcome of one finished boot, or a failure reason."""
    log = (resdir / "console.log").read_text(errors="replace")
    scanned = "KMEMLEAK=1" in (resdir / "scenario.env").read_text().splitlines()
    # the guest's own scan logs "kmemleak: N new suspected": its list, below, says more
    splats = [s for s in log_splats(log) if not (scanned and "kmemleak: " in s)]
    if splats:
        return None, "kernel log: " + splats[0]
    if scanned:
        leaks = resdir / "kmemleak"
        if not leaks.exists():
            return None, "kmemleak: the guest did not scan for leaks (see guest.log)"
        n, first = kmemleak_report(leaks.read_text(errors="replace"))
        if n:
            return None, f"kmemleak: {n} leaked objects, first: {first}"
    steps = scn.data.get("steps", [])
    rcs = [int((resdir / f"step{i}.rc").read_text()) for i in range(len(steps))]
    snap = Snapshot.load(resdir / ("final" if steps else "loaded"))
    for r in scn.soft_reserved:
        if not any(e.name == "Soft Reserved" and e.range == r for e in snap.iomem):
            return None, f"{r} is no longer Soft Reserved in /proc/iomem"
    boot_mt = int((resdir / "memtotal.boot").read_text())
    dmesg = resdir / "dmesg"
    decisions = parse_decisions(dmesg.read_text(errors="replace")) if dmesg.exists() else {}
    return outcome(scn, snap, boot_mt, rcs, decisions), None


def baseline_for(scn, n):
    """The recorded 6.12 outcome for order n, or None."""
    base = scn.data.get("baseline")
    if base is None:
        return None
    return base["per_order"][n] if "per_order" in base else base


def boot_order(scn, n, timeout, baseline=False, kernel=None):
    """Boot order n of a scenario; returns (n, ok, reason, resdir)."""
    tag = scn.name if len(scn.orders) == 1 else f"{scn.name}.{n}"
    results = "results-baseline" if baseline else f"results-{kernel}" if kernel else "results"
    resdir = BUILD / results / tag
    # a scenario that boots more (systemd) may ask for longer
    timeout = max(timeout, scn.data.get("timeout", 0))
    ok, why = boot(scn, scn.orders[n], resdir, timeout, baseline, kernel)
    return n, ok, why, resdir


def failed_steps(resdir, want):
    """What each step that returned other than expected printed last, so
    that a verdict read without the logs (CI's summary) still says why."""
    rcs = want.get("steps_rc")
    out = []
    for i, w in enumerate(rcs or []):
        try:
            rc = int((resdir / f"step{i}.rc").read_text())
            text = (resdir / f"step{i}.out").read_text(errors="replace")
        except (OSError, ValueError):
            continue
        if rc == w:
            continue
        tail = [ln.strip() for ln in text.splitlines() if ln.strip() and ln.strip() != "done"]
        out.append(f"step {i} ended: " + " | ".join(tail[-8:])[-1000:])
    return out


def judge_scenario(scn, boots, baseline=False):
    """Verdict of a scenario from its finished boots [(n, ok, why, resdir)]."""
    want = scn.data.get("expect", {})
    xfail = None if baseline else scn.data.get("xfail")
    results = []
    for n, ok, why, resdir in sorted(boots, key=lambda b: b[0]):
        order = scn.orders[n]
        label = f" [{' '.join(order) or 'coldplug'}]" if len(scn.orders) > 1 else ""
        if not ok:
            return Verdict(scn.name, "FAIL", f"{why}{label}; log in {resdir}")
        got, why = judge_boot(scn, resdir)
        if why:
            return Verdict(scn.name, "FAIL", f"{why}{label}; log in {resdir}")
        results.append((n, label, resdir, got))

    for n, label, resdir, got in results:
        base = baseline_for(scn, n)
        if baseline:
            diffs = compare(base if base is not None else without_reasons(want), got)
            if diffs:
                return Verdict(scn.name, "FAIL", "6.12 baseline: " + "; ".join(diffs) +
                               f"{label}; log in {resdir}")
            continue
        if xfail is None:
            diffs = compare(want, got)
            if diffs:
                diffs += failed_steps(resdir, want)
                return Verdict(scn.name, "FAIL", "; ".join(diffs) + f"{label}; log in {resdir}")
            continue
        if not compare(want, got):
            return Verdict(scn.name, "FAIL", f"now meets [expect]{label}: fixed? drop xfail ({xfail})")
        diffs = compare(base, got) if base is not None else ["no [baseline] recorded"]
        if diffs:
            return Verdict(scn.name, "FAIL", "neither [expect] nor the recorded baseline: " +
                           "; ".join(diffs) + f"{label}; log in {resdir}")
    got = results[-1][3]
    labels = "".join(label for _, label, _, _ in results) if len(results) < len(scn.orders) else ""
    if xfail is not None:
        return Verdict(scn.name, "XFAIL", f"{describe(scn, got)}{labels} -- {xfail}")
    return Verdict(scn.name, "PASS", describe(scn, got) + labels)


def pick_orders(scn, seed):
    """Orders of a scenario to boot: all of them, or with a seed one of
    them, chosen by (seed, scenario name) so that a run can be repeated."""
    if seed is None or len(scn.orders) == 1:
        return list(range(len(scn.orders)))
    return [random.Random(f"{seed}:{scn.name}").randrange(len(scn.orders))]


def judge_planted(scn, boots, baseline=False):
    """A planted scenario is wrong on purpose: the runner must fail it."""
    v = judge_scenario(scn, boots, baseline)
    must = scn.data["planted"]
    if v.status == "FAIL" and must in v.text:
        return Verdict(scn.name, "PASS", f"runner caught the planted fault ({v.text})")
    return Verdict(scn.name, "FAIL", f"planted fault '{must}' not caught: {v.status} {v.text}")


def plan(scns, seed):
    """(SKIP verdicts, boots to run as (scenario, order index)).

    Boots, not scenarios, are the unit of work: the orders of one scenario
    run side by side. Scenarios with more steps go first, so that the
    longest boots do not start last."""
    skips = [Verdict(s.name, "SKIP", s.data["skip"]) for s in scns
             if s.data.get("skip")]  # a known reason why the rig cannot run it yet
    jobs = [(s, n) for s in scns if not s.data.get("skip") for n in pick_orders(s, seed)]
    jobs.sort(key=lambda j: -len(j[0].data.get("steps", [])))
    return skips, jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", type=Path,
                    default=sorted((TOP / "tests/scenarios").glob("*.toml")) +
                    sorted((TOP / "tests/planted").glob("*.toml")))
    ap.add_argument("--baseline", action="store_true",
                    help="boot the unpatched 6.12 kernels and assert each [baseline]")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=int, default=420,
                    help="seconds a boot of the default kernel may take (scaled for slower variants)")
    ap.add_argument("--kernel", metavar="VARIANT",
                    help="boot VARIANT (build/VARIANT, e.g. stress) where a scenario boots the "
                    "default kernel; logs go to build/results-VARIANT/")
    ap.add_argument("--seed", type=int,
                    help="boot one order of each scenario, chosen with this seed")
    ap.add_argument("--summary-prefix", default="",
                    help="word put before the closing 'N passed, N failed' line")
    args = ap.parse_args()

    Path("/usr/lib/modules").mkdir(parents=True, exist_ok=True)  # bind target in the guest
    scns = [Scenario.load(p) for p in args.scenarios]
    seed = None if args.baseline else args.seed  # baselines: every order
    t0 = time.time()
    verdicts = []
    skips, jobs = plan(scns, seed)
    for v in skips:
        verdicts.append(v)
        print(f"{v.status:5} {v.name}: {v.text}", flush=True)
    left = {s.name: sum(1 for j in jobs if j[0] is s) for s in scns}
    boots = {s.name: [] for s in scns}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        futs = {ex.submit(boot_order, s, n, args.timeout, args.baseline, args.kernel): s
                for s, n in jobs}
        for f in concurrent.futures.as_completed(futs):
            s = futs[f]
            boots[s.name].append(f.result())
            left[s.name] -= 1
            if left[s.name]:
                continue
            judge = judge_planted if "planted" in s.data else judge_scenario
            v = judge(s, boots[s.name], args.baseline)
            verdicts.append(v)
            print(f"{v.status:5} {v.name}: {v.text}", flush=True)
    npass = sum(v.status == "PASS" for v in verdicts)
    nxfail = sum(v.status == "XFAIL" for v in verdicts)
    nfail = sum(v.status == "FAIL" for v in verdicts)
    nskip = sum(v.status == "SKIP" for v in verdicts)
    if seed is not None:
        print(f"vm: one order per scenario, chosen with seed {seed} (SOFTRES_SEED={seed} "
              "make check repeats the choice; make check-full boots every order)")
    print(f"vm: {len(verdicts)} scenarios, {len(jobs)} boots in {time.time() - t0:.0f}s; "
          f"{nxfail} expected failures (6.12 outcome asserted) counted as passed")
    prefix = f"{args.summary_prefix}: " if args.summary_prefix else ""
    print(f"{prefix}{npass + nxfail} passed, {nfail} failed, {nskip} skipped")
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
