#!/usr/bin/env python3
"""Writes a random CogVLM2 Hugging Face checkpoint of any size in the official layout
(config.json, bf16 safetensors shards + model.safetensors.index.json, inv_freq buffers), one
tensor in memory at a time: the full-width, reduced-depth models the exporter's memory bench
and the GPU bench use. The weights are make_tiny.py's random init (unit-variance projections);
their outputs mean nothing.

    /usr/bin/python3 tools/export/make_random_checkpoint.py --out DIR [--layers 1] [--vision-layers 1]
        [--shards 4] [--seed 1] [--tiny]"""

from __future__ import annotations

import argparse
import json
import math
import os
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, HERE)


def _values(name: str, shape, g):
    """make_tiny.random_init's distribution for one tensor, rounded to bf16."""
    import torch

    if name.endswith("norm.weight") or name.endswith("norm1.weight"):
        val = 1.0 + 0.1 * torch.randn(shape, generator=g)
    elif name.endswith(".bias"):
        val = 0.1 * torch.randn(shape, generator=g)
    elif name.endswith("position_embedding.weight"):
        val = 0.5 * torch.randn(shape, generator=g)
    elif name.endswith(("embed_tokens.weight", "cls_embedding", ".boi", ".eoi")) or name == "lm_head.weight":
        val = torch.randn(shape, generator=g)
    elif len(shape) >= 2:
        val = torch.randn(shape, generator=g) / math.sqrt(math.prod(shape[1:]))
    else:
        val = torch.randn(shape, generator=g)
    return val.to(torch.bfloat16)


def write_random_checkpoint(cfg, out: str, shards: int, seed: int, log=print) -> int:
    """Writes the checkpoint; returns its weight bytes."""
    import torch
    from cogvlm2_model import default_inv_freq
    from shape_model import build_tagged_model_shapes

    shapes = build_tagged_model_shapes(cfg)
    names = sorted(shapes)
    inv = {n for n in names if n.endswith("rotary_emb.inv_freq")}
    width = {n: 2 for n in names}  # everything bf16, inv_freq included (as make_tiny.py writes it)
    groups = [[] for _ in range(max(1, shards))]
    total_bytes = sum(math.prod(shapes[n]) * width[n] for n in names)
    acc = 0
    for n in names:  # shards of about equal size, names in sorted order
        k = min(len(groups) - 1, acc * len(groups) // max(total_bytes, 1))
        groups[k].append(n)
        acc += math.prod(shapes[n]) * width[n]
    groups = [gr for gr in groups if gr]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg.to_hf_dict(), f, indent=2)
        f.write("\n")
    g = torch.Generator().manual_seed(seed)
    weight_map = {}
    for k, group in enumerate(groups):
        fname = f"model-{k + 1:05d}-of-{len(groups):05d}.safetensors" if len(groups) > 1 else "model.safetensors"
        header = {"__metadata__": {"format": "pt"}}
        off = 0
        for n in group:
            size = math.prod(shapes[n]) * width[n]
            header[n] = {"dtype": "BF16", "shape": list(shapes[n]), "data_offsets": [off, off + size]}
            off += size
        head = json.dumps(header, separators=(",", ":")).encode("utf-8")
        head += b" " * ((8 - len(head) % 8) % 8)
        with open(os.path.join(out, fname + ".tmp"), "wb") as f:
            f.write(struct.pack("<Q", len(head)))
            f.write(head)
            for n in group:
                t = default_inv_freq(cfg.head_dim).to(torch.bfloat16) if n in inv else _values(n, shapes[n], g)
                f.write(t.view(torch.int16).numpy().tobytes())
                del t
                weight_map[n] = fname
        os.replace(os.path.join(out, fname + ".tmp"), os.path.join(out, fname))
        log(f"wrote {fname} ({off / 2**30:.2f} GiB)")
    if len(groups) > 1:
        with open(os.path.join(out, "model.safetensors.index.json"), "w", encoding="utf-8") as f:
            json.dump({"metadata": {"total_size": total_bytes}, "weight_map": weight_map}, f, indent=2, sort_keys=True)
            f.write("\n")
    return total_bytes


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (the Hugging Face checkpoint)")
    ap.add_argument("--layers", type=int, default=1, help="decoder layers (the official model has 32)")
    ap.add_argument("--vision-layers", type=int, default=1, help="vision transformer layers (the official model has 63)")
    ap.add_argument("--shards", type=int, default=4, help="number of safetensors shards (default 4)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tiny", action="store_true", help="the tiny config (width 8) instead of the full width")
    ap.add_argument("--tiny-vision", action="store_true", help="the tiny vision tower (width 8) with the language model of the other options")
    ap.add_argument("--hidden-size", type=int, help="decoder width (default: the config's)")
    ap.add_argument("--intermediate-size", type=int, help="decoder MLP width (default: the config's)")
    ap.add_argument("--num-attention-heads", type=int, help="query heads (default: the config's)")
    ap.add_argument("--num-kv-heads", type=int, help="key/value heads (num_multi_query_heads; default: the config's)")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    from cogvlm2_config import CogVLM2Config, ConfigError, tiny_config

    cfg = tiny_config() if args.tiny else CogVLM2Config()
    if args.tiny_vision:
        cfg.vision_config = tiny_config().vision_config
    for field, value in (("hidden_size", args.hidden_size), ("intermediate_size", args.intermediate_size),
                         ("num_attention_heads", args.num_attention_heads), ("num_multi_query_heads", args.num_kv_heads)):
        if value is not None:
            setattr(cfg, field, value)
    cfg.num_hidden_layers = args.layers
    cfg.vision_config.num_hidden_layers = args.vision_layers
    try:
        cfg.validate("make_random_checkpoint")
    except ConfigError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    t0 = time.time()
    total = write_random_checkpoint(cfg, args.out, args.shards, args.seed)
    print(f"{args.out}: {total / 2**30:.2f} GiB of bf16 weights, {args.layers} decoder + {args.vision_layers} vision layers, in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
