"""Tests of what scripts/bench-vs-pytorch and cnn4j_bench_util.py compute, without running a benchmark:

    python3 -m unittest discover -s scripts -p 'test_*.py'
"""
import contextlib
import importlib.machinery
import importlib.util
import io
import os
import unittest
from unittest import mock

import cnn4j_bench_util as util

HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader("bench_vs_pytorch", os.path.join(HERE, "bench-vs-pytorch"))
bvp = importlib.util.module_from_spec(importlib.util.spec_from_loader(_loader.name, _loader))
_loader.exec_module(bvp)


def train(side, model, train_rate, infer_rate, quiet=True, **extra):
    """A record as the script writes it, with the field names each side's benchmark prints."""
    if side == "cnn4j":
        result = {"model": model, "train_images_per_second": train_rate, "infer_images_per_second": infer_rate}
    else:
        result = {"model": model, "train_images_per_s": [1.0, train_rate], "infer_images_per_s": [1.0, infer_rate]}
    return dict({"round": 1, "side": side, "kind": "train", "quiet": quiet, "probe_before": 1.0,
                 "probe_after": 1.0, "result": result}, **extra)


class CoreTypeTest(unittest.TestCase):
    def test_the_fastest_core_type_wins_and_auto_wins_a_tie(self):
        self.assertEqual("SKYLAKEX", util.fastest({"auto": 29.0, "SKYLAKEX": 141.0, "HASWELL": 90.0}))
        self.assertEqual("auto", util.fastest({"HASWELL": 70.0, "auto": 70.0, "ZEN": 69.0}))
        self.assertEqual("auto", util.fastest({}))

    def test_auto_leaves_the_choice_to_openblas(self):
        base = {"PATH": "/bin", "OPENBLAS_CORETYPE": "ZEN", "OPENBLAS_L2_SIZE": "1048576"}
        self.assertEqual({"PATH": "/bin"}, util.openblas_env(util.AUTO, base))
        self.assertEqual({"PATH": "/bin", "OPENBLAS_CORETYPE": "SKYLAKEX"}, util.openblas_env("SKYLAKEX", base))

    def test_a_core_type_the_user_set_is_honoured_without_probing(self):
        with mock.patch.dict(os.environ, {"OPENBLAS_CORETYPE": "HASWELL"}), \
                mock.patch.object(util, "probe_coretypes", side_effect=AssertionError("probed")):
            self.assertEqual(("HASWELL", {}), util.chosen_coretype())
        self.assertEqual("OpenBLAS core type HASWELL, as OPENBLAS_CORETYPE says", util.describe_probe("HASWELL", {}))

    def test_the_probe_line_gives_every_core_type_measured(self):
        self.assertEqual("OpenBLAS core type SKYLAKEX, the fastest torch.mm 1024^3 on 1 thread "
                         "(GFLOP/s: auto 29, SKYLAKEX 141)",
                         util.describe_probe("SKYLAKEX", {"auto": 29.3, "SKYLAKEX": 141.2}))


class TableTest(unittest.TestCase):
    def test_columns_are_padded_the_first_to_the_left(self):
        self.assertEqual("a     bb\n----  --\nlong   1",
                         util.table(["a", "bb"], [["long", 1]]))


class SummaryTest(unittest.TestCase):
    RECORDS = [train("pytorch", "seed", 1000.0, 4000.0), train("cnn4j", "seed", 1500.0, 4400.0),
               train("pytorch", "seed", 1200.0, 4000.0), train("cnn4j", "seed", 1700.0, 4400.0),
               train("pytorch", "bn", 3000.0, 6000.0), train("cnn4j", "bn", 3600.0, 12000.0)]

    def test_medians_per_model_and_side(self):
        medians = bvp.model_medians(self.RECORDS)
        self.assertEqual(["seed", "bn"], list(medians))
        self.assertEqual(1100.0, medians["seed"]["pytorch", "train"])
        self.assertEqual(1600.0, medians["seed"]["cnn4j", "train"])
        self.assertAlmostEqual(1.2, bvp.ratio(medians["bn"], "train"))
        self.assertIsNone(bvp.ratio(bvp.model_medians(self.RECORDS[:1])["seed"], "train"))

    def test_the_markdown_table_is_the_one_the_docs_give(self):
        self.assertEqual(
            "| model | train images/s PyTorch | cnn4j | ratio | inference images/s PyTorch | cnn4j | ratio |\n"
            "| --- | --- | --- | --- | --- | --- | --- |\n"
            "| seed | 1,100 | 1,600 | **1.45** | 4,000 | 4,400 | **1.10** |\n"
            "| bn | 3,000 | 3,600 | **1.20** | 6,000 | 12,000 | **2.00** |",
            bvp.models_table(bvp.model_medians(self.RECORDS)))

    def test_every_ratio_under_the_target_is_named(self):
        medians = bvp.model_medians(self.RECORDS)
        self.assertEqual("below the target of 1.3x PyTorch (GEMM: 1.0x OpenBLAS): infer seed 1.10, train bn 1.20, "
                         "GEMM 1024x1024x1024 against OpenBLAS 0.74",
                         bvp.below_target(medians, {"1024x1024x1024": 0.74}))
        self.assertEqual("every ratio reaches the target of 1.2x PyTorch",
                         bvp.below_target({"bn": medians["bn"]}, {}, target=1.2))

    def test_the_paired_gemm_ratio_is_the_median_over_runs(self):
        runs = [{"kind": "gemm_paired", "result": {"gemm": "1024x1024x1024", "median_ratio": r}} for r in (0.7, 1.1, 0.9)]
        self.assertEqual({"1024x1024x1024": 0.9}, bvp.paired_ratios(runs, lambda r: r["result"]["gemm"]))

    def test_the_core_type_comes_from_the_probe_or_says_it_was_not_recorded(self):
        self.assertEqual("OpenBLAS core type: not recorded (runs from before the probe: OpenBLAS's own choice)",
                         bvp.coretype_line(self.RECORDS))
        probe = {"round": 0, "side": "pytorch", "kind": "coretype_probe", "openblas_coretype": "ZEN",
                 "result": {"openblas_coretype": "ZEN", "torch_mm_gflops": {"auto": 69.0, "ZEN": 73.0}}}
        self.assertEqual("OpenBLAS core type ZEN, the fastest torch.mm 1024^3 on 1 thread (GFLOP/s: auto 69, ZEN 73)",
                         bvp.coretype_line([probe] + self.RECORDS))
        chosen = [train("pytorch", "seed", 1.0, 1.0, openblas_coretype="SKYLAKEX")]
        self.assertEqual("OpenBLAS core type SKYLAKEX", bvp.coretype_line(chosen))

    def test_a_file_with_the_probe_record_summarizes(self):
        probe = {"round": 0, "side": "pytorch", "kind": "coretype_probe", "openblas_coretype": "auto",
                 "result": {"openblas_coretype": "auto", "torch_mm_gflops": {"auto": 70.0}}}
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bvp.summarize([probe] + self.RECORDS, "runs.jsonl", quiet_only=False)
        self.assertIn("6 results in 1 round(s)", out.getvalue())
        self.assertIn("| bn | 3,000 | 3,600 | **1.20** |", out.getvalue())


class ArgumentsTest(unittest.TestCase):
    def test_a_gemm_size_is_n_or_m_by_k_by_n(self):
        self.assertEqual([1024, 1024, 1024], bvp.gemm_size("1024"))
        self.assertEqual([64, 3136, 128], bvp.gemm_size("64X3136x128"))
        for bad in ("64x128", "0", "ax1x1", ""):
            with self.subTest(bad), contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
                bvp.gemm_size(bad)

    def test_sides_with_different_networks_do_not_compare(self):
        bvp.same_network({"model": "bn", "params": 421834}, {"bn": 421834})
        bvp.same_network({"model": "bn"}, {"bn": 421834})  # a PyTorch side that does not count them
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit):
            bvp.same_network({"model": "bn", "params": 421642}, {"bn": 421834})
        self.assertEqual("bench-vs-pytorch: the PyTorch side's 'bn' has 421,642 parameters and cnn4j's 421,834: "
                         "they are not the same network, so their speeds do not compare\n", err.getvalue())


if __name__ == "__main__":
    unittest.main()
