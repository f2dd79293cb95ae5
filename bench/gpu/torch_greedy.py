#!/usr/bin/env python3
"""The PyTorch side of bench/gpu/onnx_engine_gpu.sh (prepared for an H200, never run): loads the
same random checkpoint with the exporter's module (tools/export/cogvlm2_model.py, the official
tensor names) in bf16 on CUDA, runs greedy decoding from the onnx engine's prompt ids (the
image through the same Pillow preprocessing), compares the greedy tokens and times vision,
prefill and decode (batch 1 and 8), and prints one JSON report with the bandwidth bound.

    python bench/gpu/torch_greedy.py --hf-dir DIR --engine-json onnx-cuda.json [--dtype bf16|fp16|fp32] --out report.json"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "export"))

import torch  # noqa: E402

from cogvlm2_model import build_position_ids, get_expert_mask  # noqa: E402
from hf_checkpoint import load_model  # noqa: E402
from preprocess import pixel_values  # noqa: E402

IMAGE = os.path.join(HERE, "..", "..", "tests", "fixtures", "tiny-model", "images", "sign_1344.png")
H200_BANDWIDTH = 4.8e12  # bytes/s, HBM3e (NVIDIA's data sheet)


def _sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def timed(fn, repeats=3):
    out = []
    for _ in range(repeats):
        _sync()
        t = time.perf_counter()
        fn()
        _sync()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hf-dir", required=True)
    ap.add_argument("--engine-json", action="append", default=[], help="onnx-engine-gpu.mjs output (repeatable: one per provider)")
    ap.add_argument("--dtype", choices=["bf16", "fp16", "fp32"], default="bf16")
    ap.add_argument("--out", required=True)
    ap.add_argument("--device", default="cuda", help="cuda (default); cpu for a smoke test on the tiny model")
    args = ap.parse_args()
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[args.dtype]
    dev = torch.device(args.device)
    cfg, model, _ = load_model(args.hf_dir, dtype=dtype)
    model.build_rope("bf16")
    model = model.to(dev).eval()
    engines = [json.load(open(p)) for p in args.engine_json]
    prompts = engines[0]["results"] if engines else []
    px = torch.from_numpy(pixel_values(IMAGE, cfg.vision_config.image_size)).to(dev, dtype)
    report = {"device": torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu", "torch": torch.__version__, "dtype": args.dtype,
              "layers": cfg.num_hidden_layers, "vision_layers": cfg.vision_config.num_hidden_layers, "prompts": []}
    with torch.no_grad():
        report["vision_ms"] = timed(lambda: model.model.vision(px))
        embeds = model.model.vision(px)
        for p in prompts:
            ids = p["input_ids"]
            types = [0] + [1] * p["image_slots"] + [0] * (len(ids) - 1 - p["image_slots"])
            tokens, _ = model.greedy(ids, types, None, len(p["tokens"]), image_embeds=embeds if p["image_slots"] else None)
            entry = {"name": p["name"], "torch_tokens": tokens, "tokens_equal": {}}
            for e in engines:
                got = next(r for r in e["results"] if r["name"] == p["name"])["tokens"]
                entry["tokens_equal"][e["ep"]] = got == tokens
            t = torch.tensor([ids], device=dev)
            tt = torch.tensor([types], device=dev)
            emb = model.prefill_embeds(t, tt, px if p["image_slots"] else None)
            entry["prefill_ms"] = timed(lambda: model.decode(emb, get_expert_mask(tt), build_position_ids(tt), None, None, last_logits_only=True))
            for batch in (1, 8):
                embb = emb.expand(batch, -1, -1).contiguous()
                _, past = model.decode(embb, get_expert_mask(tt).expand(batch, -1), build_position_ids(tt).expand(batch, -1), None, None, last_logits_only=True)
                step = torch.zeros(batch, 1, cfg.hidden_size, device=dev, dtype=dtype)
                pos = build_position_ids(tt)[:, -1:].expand(batch, -1) + 1
                vm = torch.zeros(batch, 1, dtype=torch.bool, device=dev)
                entry[f"decode_ms_b{batch}"] = timed(lambda: model.decode(step, vm, pos, None, past, last_logits_only=True), repeats=10)
            report["prompts"].append(entry)
    weight_bytes = sum(p.numel() * p.element_size() for n, p in model.named_parameters() if not n.startswith("model.vision."))
    report["decode_weight_bytes"] = weight_bytes
    report["bandwidth_bound_ms_per_step"] = weight_bytes / H200_BANDWIDTH * 1000  # KV bytes add about 1% at 2,356 tokens
    report["engines"] = engines
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
