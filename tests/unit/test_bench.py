"""The bench's parsing of what its guest scripts and the kernel print."""
import importlib.util
import unittest
from pathlib import Path

# by path: tests/unit/run.py is a "run" module too
_spec = importlib.util.spec_from_file_location(
    "bench_run", Path(__file__).resolve().parents[2] / "bench/run.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


class Samples(unittest.TestCase):
    OUT = "1G offline 0 1500\n1G owner 0 250000\n512M owner 0 9\n1G owner 1 240000\njunk\n"

    def test_kind_and_size_in_ms(self):
        self.assertEqual(bench.samples(self.OUT, "owner", "1G"), [250.0, 240.0])
        self.assertEqual(bench.samples(self.OUT, "owner"), [250.0, 0.009, 240.0])
        self.assertEqual(bench.samples(self.OUT, "online"), [])

    def test_min_median_max(self):
        self.assertEqual(bench.mmm([3, 1, 2]), (1, 2, 3))
        self.assertIsNone(bench.mmm([]))


class Breakdown(unittest.TestCase):
    TRACE = "\n".join([
        "1G owner 0 5",
        "trace",
        "# tracer: nop",
        " bash-1 [0] ..... 10.000000: softres_move_in: (softres_cfs_owner_store+0x1/0x2 [dax_hmem])",
        " bash-1 [0] ..... 10.001000: softres_leave_in: (softres_move+0x1/0x2 [dax_hmem])",
        " bash-1 [0] ..... 10.101000: softres_leave_out: (softres_move+0x1/0x2 <- softres_leave)",
        " bash-1 [0] ..... 10.102000: softres_enter_in: (softres_move+0x1/0x2 [dax_hmem])",
        " bash-1 [0] ..... 10.302000: softres_enter_out: (softres_move+0x1/0x2 <- softres_enter)",
        " bash-1 [0] ..... 10.305000: softres_move_out: (softres_set_owner+0x1/0x2 <- softres_move)",
        " bash-1 [0] ..... 11.000000: softres_leave_in: (x)",  # outside a move
    ]) + "\n"

    def test_move_split(self):
        (move, leave, enter, rest), = bench.owner_breakdown(self.TRACE)
        self.assertAlmostEqual(move, 305.0, places=3)
        self.assertAlmostEqual(leave, 100.0, places=3)
        self.assertAlmostEqual(enter, 200.0, places=3)
        self.assertAlmostEqual(rest, 5.0, places=3)

    def test_nothing_traced(self):
        self.assertEqual(bench.owner_breakdown("1G owner 0 5\n"), [])


class Decision(unittest.TestCase):
    TRACE = (
        "  kworker/u8:1-40 [000] d.... 40.500000: softres_settled: "
        "(async_run_entry_fn+0x30/0x130 <- wait_for_device_probe)\n"
        "  kworker/u8:2-41 [001] d.... 48.000000: softres_settled: "
        "(softres_arbitrate+0x2a/0x3c0 [dax_hmem] <- wait_for_device_probe)\n"
        "  kworker/u8:2-41 [001] d.... 48.200000: softres_settled: "
        "(softres_arbitrate+0x2a/0x3c0 [dax_hmem] <- wait_for_device_probe)\n"
        "  modprobe-99 [001] d.... 99.000000: softres_settled: "
        "(softres_arbitrate+0x2a/0x3c0 [dax_hmem] <- wait_for_device_probe)\n")
    DMESG = ("[   48.230000] hmem_platform hmem_platform.0: [mem 0x140000000-0x17fffffff "
             "flags 0x200]: owner cxl: covered by region0\n"
             "[   48.240000] something else\n"
             "[   60.000000] hmem_platform hmem_platform.0: [mem 0x140000000-0x17fffffff "
             "flags 0x200]: owner hmem: admin choice\n")

    def test_last_wait_before_the_last_decision(self):
        self.assertAlmostEqual(bench.decision_latency(self.TRACE, self.DMESG), 30.0, places=3)

    def test_other_callers_do_not_count(self):
        trace = self.TRACE.splitlines()[0] + "\n"
        self.assertIsNone(bench.decision_latency(trace, self.DMESG))

    def test_no_decision(self):
        self.assertIsNone(bench.decision_latency(self.TRACE, ""))


if __name__ == "__main__":
    unittest.main()
