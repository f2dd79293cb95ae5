#!/usr/bin/env python3
"""`cogeval export` back end: converts a CogVLM2 Hugging Face checkpoint directory into the
ONNX graphs of tools/export/CONTRACT.md plus config.json and the tokenizer files.

    /usr/bin/python3 tools/export/export.py --hf-dir DIR --out DIR [--dtype fp32|bf16|fp16]
        [--rope bf16|fp32] [--external-data auto|always|never] [--graphs vision,embed,decoder]

Exit codes: 0 done, 2 bad input (missing files, fields or tensors), 3 torch/onnx missing."""

from __future__ import annotations

import argparse
import os
import sys
import time

EXIT_BAD_INPUT = 2
EXIT_MISSING_DEPENDENCY = 3

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, HERE)


def _require_dependencies() -> None:
    missing = []
    for mod in ("numpy", "torch", "onnx"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(mod)
    if missing:
        sys.stderr.write(
            f"error: {sys.executable} cannot import {', '.join(missing)}; the exporter needs PyTorch and ONNX "
            "(Debian/Ubuntu: apt-get install python3-torch python3-onnx python3-numpy python3-pil)\n")
        sys.exit(EXIT_MISSING_DEPENDENCY)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="export.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hf-dir", required=True, help="Hugging Face model directory: config.json + model.safetensors (or shards + index)")
    p.add_argument("--out", required=True, help="output directory for the ONNX graphs, config.json and tokenizer")
    p.add_argument("--dtype", choices=["fp32", "bf16", "fp16"], default="fp32",
                   help="weight storage: fp32, bf16 (lossless for the bf16 checkpoint, half size) or fp16; I/O and arithmetic are float32 either way")
    p.add_argument("--compute", choices=["fp32", "fp16", "bf16"], default="fp32",
                   help="arithmetic inside the graphs: fp32 (default; the CPU reference), or fp16 / bf16 for GPUs (weights stored in that type, "
                        "no Cast; graph inputs and outputs stay float32); overrides --dtype")
    p.add_argument("--rope", choices=["bf16", "fp32"], default="bf16", help="RoPE table: as HF builds it in a bf16 model (default), or fp32")
    p.add_argument("--external-data", choices=["auto", "always", "never"], default="auto", help="weights in <graph>.onnx.data (auto: above 1 GiB per graph)")
    p.add_argument("--graphs", default="vision,embed,decoder", help="comma-separated subset of vision, embed, decoder")
    p.add_argument("--vision-query-chunk", type=int, default=4096, help="query rows per attention block in the vision graph (memory bound)")
    return p.parse_args(argv)


def _large_allocations_via_mmap() -> None:
    """glibc serves allocations below its (growing) mmap threshold from the heap and keeps the
    freed memory: tracing a deep module at full width then holds every layer's temporary weight
    copies. A fixed 64 KiB threshold returns each large temporary to the system when freed."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 64 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    _large_allocations_via_mmap()
    _require_dependencies()
    import torch
    import onnx
    from cogvlm2_model import ConfigError
    from safetensors_io import CheckpointError
    from hf_checkpoint import read_config
    from shape_model import build_tagged_model, check_checkpoint
    from onnx_export import GRAPH_FILES, OPSET, ExportError, export_all, onnx_config, copy_tokenizer, sha256_file, write_json

    graphs = [g.strip() for g in args.graphs.split(",") if g.strip()]
    bad = [g for g in graphs if g not in ("vision", "embed", "decoder")]
    if bad or not graphs:
        sys.stderr.write(f"error: --graphs {args.graphs!r}: use a comma-separated subset of vision, embed, decoder\n")
        return EXIT_BAD_INPUT
    if args.vision_query_chunk < 1:
        sys.stderr.write("error: --vision-query-chunk must be a positive integer\n")
        return EXIT_BAD_INPUT
    if os.path.abspath(args.out) == os.path.abspath(args.hf_dir):
        sys.stderr.write("error: --out must differ from --hf-dir (config.json would be overwritten)\n")
        return EXIT_BAD_INPUT
    t0 = time.time()
    try:
        cfg = read_config(args.hf_dir)
        os.makedirs(args.out, exist_ok=True)
        with_vision = "vision" in graphs
        with_language = "embed" in graphs or "decoder" in graphs
        # one shape-only module (no weights in memory) for all the graphs; weights are streamed
        compute = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[args.compute]
        if args.compute != "fp32":
            args.dtype = args.compute  # the weights are stored in the arithmetic type
        tagged, notes = build_tagged_model(cfg, args.hf_dir, with_vision, with_language, args.vision_query_chunk, compute)
        where, more = check_checkpoint(tagged, args.hf_dir, lambda n: (with_vision and n.startswith("model.vision.")) or
                                       (with_language and not n.startswith("model.vision.")))
        for n in notes + more:
            print(f"note: {n}")
        facts = export_all(tagged, where, args.out, args.dtype, args.rope, args.external_data, graphs)
        for key in GRAPH_FILES:  # graphs of an earlier export into this directory that were not asked for now
            if key not in graphs:
                for suffix in ("", ".data"):
                    path = os.path.join(args.out, GRAPH_FILES[key] + suffix)
                    if os.path.exists(path):
                        os.remove(path)
    except (ConfigError, CheckpointError, ExportError) as e:
        sys.stderr.write(f"error: {e}\n")
        return EXIT_BAD_INPUT
    tokenizer = copy_tokenizer(args.hf_dir, args.out)
    if tokenizer is None:
        print(f"warning: {args.hf_dir} has no tokenizer.json; config.json records tokenizer: null — copy the model's tokenizer.json into {args.out}")
    source = {
        "exporter": "tools/export/export.py",
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "opset": OPSET,
        "hf_config_sha256": sha256_file(os.path.join(args.hf_dir, "config.json")),
    }
    write_json(os.path.join(args.out, "config.json"), onnx_config(cfg, args.dtype, args.rope, facts, tokenizer, source,
                                                                  {"compute_dtype": args.compute} if args.compute != "fp32" else None))
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"wrote {', '.join(sorted(os.listdir(args.out)))} to {args.out} in {time.time() - t0:.1f} s (peak RSS {peak:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
