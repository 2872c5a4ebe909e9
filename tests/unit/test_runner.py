"""The VM runner's judgement, without a VM: parsing and verdicts."""
import re
import tempfile
import unittest
from pathlib import Path

import runner
from runner import Range, parse_iomem, parse_dax, Snapshot, range_outcome, compare

G = 1 << 30
M = 1 << 20

IOMEM_CXL = """\
00000000-00000fff : Reserved
100000000-13fffffff : System RAM
140000000-17fffffff : CXL Window 0
  140000000-17fffffff : Soft Reserved
    140000000-17fffffff : region0
      140000000-17fffffff : dax0.0
        140000000-17fffffff : System RAM (kmem)
180000000-19fffffff : Soft Reserved
"""

DAX_CXL = ("dax0.0 /sys/devices/platform/ACPI0017:00/root0/decoder0.0/region0/dax_region0/dax0.0"
           " kmem 0x140000000 0x17fffffff\n")
DAX_HMEM = "dax1.0 /sys/devices/platform/hmem.1/dax1.0 kmem 0x180000000 0x19fffffff\n"

R0 = Range(0x140000000, 0x17fffffff)
R1 = Range(0x180000000, 0x19fffffff)


def snap(iomem, dax):
    return Snapshot(parse_iomem(iomem), parse_dax(dax), 0)


class Sizes(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(runner.parse_size("1G"), G)
        self.assertEqual(runner.parse_size("512M"), 512 * M)
        self.assertEqual(runner.parse_size("0x40000000"), G)
        self.assertEqual(runner.parse_size("0"), 0)

    def test_fmt(self):
        self.assertEqual(runner.fmt_size(G + 512 * M), "1536M")
        self.assertEqual(runner.fmt_size(0), "0")
        self.assertEqual(runner.fmt_size(4097), "4097")

    def test_memmap(self):
        self.assertEqual(runner.memmap_arg(0x140000000, G), "memmap=1G%0x140000000-1+0xefffffff")


class Iomem(unittest.TestCase):
    def test_tree(self):
        e = parse_iomem(IOMEM_CXL)
        self.assertEqual(len(e), 8)
        kmem = [x for x in e if x.name == "System RAM (kmem)"]
        self.assertEqual(kmem[0].depth, 4)
        self.assertEqual(kmem[0].range.size, G)


class Ownership(unittest.TestCase):
    def test_cxl_exact(self):
        self.assertEqual(range_outcome(R0, snap(IOMEM_CXL, DAX_CXL)), {"owner": "cxl", "online": "1G"})

    def test_stranded(self):
        self.assertEqual(range_outcome(R1, snap(IOMEM_CXL, DAX_CXL)), {"owner": "none", "online": "0"})

    def test_hmem(self):
        iomem = IOMEM_CXL.replace("180000000-19fffffff : Soft Reserved",
                                  "180000000-19fffffff : Soft Reserved\n"
                                  "  180000000-19fffffff : dax1.0\n"
                                  "    180000000-19fffffff : System RAM (kmem)")
        self.assertEqual(range_outcome(R1, snap(iomem, DAX_HMEM)), {"owner": "hmem", "online": "512M"})

    def test_partial(self):
        dax = DAX_CXL.replace("0x17fffffff", "0x15fffffff")
        self.assertEqual(range_outcome(R0, snap("", dax))["owner"], "partial-cxl")

    def test_mixed(self):
        dax = DAX_CXL + DAX_HMEM.replace("0x180000000", "0x170000000")
        self.assertEqual(range_outcome(R0, snap("", dax))["owner"], "mixed")

    def test_provider(self):
        self.assertEqual(runner.provider_of("/sys/devices/platform/hmem.12/dax12.0"), "hmem")
        self.assertEqual(runner.provider_of("/sys/devices/platform/x/region3/dax_region3/dax3.0"), "cxl")
        self.assertEqual(runner.provider_of("/sys/devices/platform/e820_pmem/ndbus0/dax0.0"), "other")


class Compare(unittest.TestCase):
    got = {"ranges": [{"owner": "cxl", "online": "1G"}], "dax": ["cxl:1G"],
           "memtotal_delta": "1G", "steps_rc": []}

    def test_match(self):
        want = {"ranges": [{"owner": "cxl", "online": "1024M"}], "dax": ["cxl:1G"], "memtotal_delta": "1G"}
        self.assertEqual(compare(want, self.got), [])

    def test_wrong_owner_is_reported(self):
        want = {"ranges": [{"owner": "hmem"}]}
        self.assertEqual(compare(want, self.got), ["range0 owner: expected hmem, got cxl"])

    def test_wrong_count(self):
        self.assertTrue(compare({"ranges": [{}, {}]}, self.got))
        self.assertTrue(compare({"dax": []}, self.got))
        self.assertTrue(compare({"steps_rc": [0]}, self.got))


class Splats(unittest.TestCase):
    def test_caught(self):
        for line in ["[    5.1] WARNING: CPU: 1 PID: 90 at drivers/dax/bus.c:10 x+0x1/0x2",
                     "[    5.2] BUG: KASAN: slab-use-after-free in y",
                     "[    5.3] WARNING: possible circular locking dependency detected",
                     "[    5.4] INFO: task kworker/0:1:12 blocked for more than 120 seconds.",
                     "kmemleak: 2 new suspected memory leaks",
                     "    # softres_test_exact: EXPECTATION FAILED at drivers/dax/hmem/x.c:27"]:
            self.assertTrue(runner.log_splats(line), line)

    def test_clean(self):
        log = ("[    0.0] Linux version 6.12\n[    1.0] cxl_acpi ACPI0017:00: ready\n"
               "[    0.7] rcu: \tRCU lockdep checking is enabled.\n")
        self.assertEqual(runner.log_splats(log), [])


class Scenarios(unittest.TestCase):
    """Every scenario file parses and says what it expects."""

    def test_files(self):
        files = sorted((runner.TOP / "tests/scenarios").glob("*.toml")) + \
            sorted((runner.TOP / "tests/stress").glob("*.toml"))
        self.assertGreaterEqual(len(files), 8)
        for f in files:
            s = runner.Scenario.load(f)
            self.assertTrue(s.soft_reserved, f)
            self.assertEqual(len(s.data["expect"]["ranges"]), len(s.soft_reserved), f)
            if "xfail" in s.data:
                self.assertIn("baseline", s.data, f"{f}: xfail without a recorded baseline")
            if "per_order" in s.data.get("baseline", {}):
                self.assertEqual(len(s.data["baseline"]["per_order"]), len(s.orders),
                                 f"{f}: one per_order baseline for each order")
            for n in range(len(s.orders)):
                base = runner.baseline_for(s, n)
                if base is not None:
                    self.assertEqual(len(base["ranges"]), len(s.soft_reserved), f)

    def test_skip_says_why_and_boots_nothing(self):
        s = runner.Scenario(Path("x.toml"), "x", {"skip": "no rig for it", "expect": {}}, [])
        skips, jobs = runner.plan([s], seed=None)
        self.assertEqual([(v.status, v.text) for v in skips], [("SKIP", "no rig for it")])
        self.assertEqual(jobs, [])

    def test_seed_boots_one_order_and_repeats(self):
        s = runner.Scenario(Path("x.toml"), "x", {"orders": [["a"], ["b"], ["c"], []]}, [])
        one = runner.plan([s], seed=7)[1]
        self.assertEqual(len(one), 1)
        self.assertEqual(runner.plan([s], seed=7)[1], one)
        self.assertEqual([n for _, n in runner.plan([s], seed=None)[1]], [0, 1, 2, 3])
        picked = {runner.plan([s], seed=k)[1][0][1] for k in range(64)}
        self.assertEqual(picked, {0, 1, 2, 3})  # every order comes up across seeds

    def test_failed_boot_names_its_order(self):
        s = runner.Scenario(Path("x.toml"), "x", {"orders": [["a", "b"], []], "expect": {}}, [])
        v = runner.judge_scenario(s, [(1, True, "", Path("/nonexistent")),
                                      (0, False, "timeout after 1s", Path("/r/x.0"))])
        self.assertEqual(v.status, "FAIL")
        self.assertIn("timeout after 1s [a b]", v.text)

    def test_failed_step_says_what_it_printed_last(self):
        with tempfile.TemporaryDirectory() as d:
            r = Path(d)
            (r / "step0.rc").write_text("0\n")
            (r / "step0.out").write_text("fine\ndone\n")
            (r / "step1.rc").write_text("1\n")
            (r / "step1.out").write_text("case 5: x\n  case 5: range0: owner hmem, online no\n"
                                         "topology-fuzz: 1 cases, 1 mismatches\ndone\n")
            got = runner.failed_steps(r, {"steps_rc": [0, 0]})
            self.assertEqual(len(got), 1)
            self.assertTrue(got[0].startswith("step 1 ended: case 5: x | case 5: range0"))
            self.assertTrue(got[0].endswith("1 mismatches"))
            self.assertEqual(runner.failed_steps(r, {"steps_rc": [0, 1]}), [])
            self.assertEqual(runner.failed_steps(r, {}), [])


if __name__ == "__main__":
    unittest.main()


class Decisions(unittest.TestCase):
    LOG = ("[   20.1] hmem_platform hmem_platform.0: [mem 0x0000000180000000-0x000000019fffffff"
           " flags 0x200]: owner hmem: no CXL region on it\n"
           "[   20.2] hmem_platform hmem_platform.0: [mem 0x0000000140000000-0x000000017fffffff"
           " flags 0x200]: owner cxl: covered by region0\n")

    def test_parse(self):
        d = runner.parse_decisions(self.LOG)
        self.assertEqual(d[0x140000000], [("cxl", "covered by region0")])
        self.assertEqual(d[0x180000000], [("hmem", "no CXL region on it")])

    def test_reason_in_outcome(self):
        d = runner.parse_decisions(self.LOG)
        o = range_outcome(R0, snap(IOMEM_CXL, DAX_CXL), d)
        self.assertEqual(o["reason"], "covered by region0")

    def test_reason_is_a_pattern(self):
        got = {"ranges": [{"owner": "cxl", "online": "1G", "reason": "covered by region0"}]}
        self.assertEqual(compare({"ranges": [{"reason": r"covered by region\d+"}]}, got), [])
        self.assertEqual(compare({"ranges": [{"reason": "no CXL region on it"}]}, got),
                         ["range0 reason: expected /no CXL region on it/, got covered by region0"])


class Schema(unittest.TestCase):
    """configfs-schema/softres.json, the ABI documents in the series, and the checker agree."""

    def setUp(self):
        import json
        self.top = Path(runner.__file__).resolve().parent.parent
        self.schema = json.loads((self.top / "configfs-schema/softres.json").read_text())
        self.series = "".join(p.read_text() for p in sorted((self.top / "kernel/patches").glob("*.patch")))

    def test_every_attribute_documented(self):
        for root in ("/sys/kernel/config/softres", "/sys/kernel/softres"):
            for name in self.schema["attributes"]:
                self.assertIn(f"What:\t\t{root}/range<N>/{name}\n", self.series, name)

    def test_checker_catches_a_bad_tree(self):
        import importlib.util
        import tempfile
        spec = importlib.util.spec_from_file_location("check", self.top / "configfs-schema/check.py")
        check = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(check)
        with tempfile.TemporaryDirectory() as d:
            g = Path(d) / "range0"
            g.mkdir()
            values = {"owner": "auto", "effective_owner": "cxl", "reason": "covered: covered by region0",
                      "start": "0x140000000", "size": "0x40000000", "target_node": "0",
                      "windows": "decoder0.0", "regions": "region0", "dax_devices": "dax0.0",
                      "online": "yes", "mode": "system-ram"}
            for k, v in values.items():
                (g / k).write_text(v + "\n")
                (g / k).chmod(int(self.schema["attributes"][k]["sysfs_mode"], 8))
            self.assertEqual(check.check_tree(self.schema, Path(d), "sysfs_mode", False), [])
            (g / "owner").chmod(0o644)
            (g / "online").chmod(0o644)
            (g / "online").write_text("maybe\n")
            (g / "stray").write_text("x\n")
            (g / "reason").chmod(0o644)
            (g / "reason").write_text("covered by region0\n")
            (g / "reason").chmod(0o444)
            diffs = check.check_tree(self.schema, Path(d), "sysfs_mode", False)
            self.assertEqual(len(diffs), 5, diffs)

    def test_reason_keywords_are_the_kernels(self):
        """The schema's keywords are the kernel's table, in its order."""
        table = re.search(r"softres_tags\[\] = \{\n(.*?)\n\+\};", self.series, re.S)
        self.assertIsNotNone(table)
        words = re.findall(r'\] = "([a-z-]+)",', table.group(1))
        self.assertEqual(words, self.schema["attributes"]["reason"]["keywords"])


class Stress(unittest.TestCase):
    """The stress kernel: --kernel replaces the default variant, kmemleak's list."""

    LEAK = """\
unreferenced object 0xffff888100d3a000 (size 1024):
  comm "modprobe", pid 200, jiffies 4294893000
  hex dump (first 32 bytes):
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
  backtrace (crc 0):
    __kmalloc_cache_noprof+0x2b0/0x3a0
    kmemleak_test_init+0x3a/0x2c0 [kmemleak_test]
    do_one_initcall+0xa0/0x3a0
unreferenced object 0xffff888100d3b000 (size 32):
  comm "modprobe", pid 200, jiffies 4294893000
  backtrace (crc 0):
    kmalloc_trace+0x1/0x2
"""

    def test_kernel_replaces_default_only(self):
        d = runner.Scenario(Path("x.toml"), "x", {}, [])
        nr = runner.Scenario(Path("x.toml"), "x", {"kernel": "no-region"}, [])
        self.assertEqual(runner.kernel_variant(d, False, "stress"), "stress")
        self.assertEqual(runner.kernel_variant(nr, False, "stress"), "no-region")
        self.assertEqual(runner.kernel_variant(d, False), "default")

    def test_kmemleak_report(self):
        n, first = runner.kmemleak_report(self.LEAK)
        self.assertEqual(n, 2)
        self.assertIn("(size 1024)", first)
        self.assertIn("kmemleak_test_init", first)
        self.assertEqual(runner.kmemleak_report(""), (0, ""))

    def test_leak_fails_the_boot(self):
        with tempfile.TemporaryDirectory() as d:
            res = Path(d)
            (res / "console.log").write_text("[    1.0] kmemleak: 2 new suspected memory leaks\n")
            (res / "scenario.env").write_text("KMEMLEAK=1\n")
            s = runner.Scenario(Path("x.toml"), "x", {}, [])
            self.assertIn("did not scan", runner.judge_boot(s, res)[1])
            (res / "kmemleak").write_text(self.LEAK)
            self.assertIn("kmemleak: 2 leaked objects, first: ", runner.judge_boot(s, res)[1])
