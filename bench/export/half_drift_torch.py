#!/usr/bin/env python3
"""Reference side of the half-precision drift check (BENCHMARKS.md, issue #11): greedy tokens and
first-step logits of a checkpoint's language model in PyTorch on the CPU, float32 and bf16, for
one prompt's token ids; writes them as JSON for bench/export/half_drift_onnx.mjs to compare with.

    python3 bench/export/half_drift_torch.py --hf-dir DIR --ids 128000,14924,25 --steps 8 --out ref.json"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "export"))

import torch  # noqa: E402

from hf_checkpoint import load_model  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hf-dir", required=True)
    ap.add_argument("--ids", required=True, help="comma-separated prompt token ids (text only)")
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    ids = [int(x) for x in args.ids.split(",")]
    out = {"ids": ids}
    torch.set_grad_enabled(False)
    for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
        _, model, _ = load_model(args.hf_dir, with_vision=False, with_language=True, dtype=dtype)
        model.build_rope("bf16")
        tokens, kept = model.greedy(ids, [0] * len(ids), None, args.steps, keep_logits=1)
        out[name] = {"tokens": tokens, "logits": [float(x) for x in kept[0]]}
        print(name, tokens)
        del model
    with open(args.out, "w") as f:
        json.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
