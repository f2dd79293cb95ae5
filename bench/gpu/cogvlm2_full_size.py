#!/usr/bin/env python3
"""Times the exporter's PyTorch CogVLM2 module (tools/export/cogvlm2_model.py) at full
CogVLM2-19B size with random bf16 weights on an NVIDIA GPU, and prints: vision-tower time per
1344x1344 image, prefill time for a 2,306 + 50 token prompt, decode ms/token at batch 1 and 8.
It also checks the exporter's CPU emulation of the bf16 RoPE table against the same
construction run on the GPU (docs/cogvlm2.md section 3).

    python bench/gpu/cogvlm2_full_size.py                 # full size, cuda, bf16
    python bench/gpu/cogvlm2_full_size.py --tiny          # tiny config on CPU (smoke test)
    python bench/gpu/cogvlm2_full_size.py --json out.json

Needs a recent PyTorch (2.x with CUDA; scaled_dot_product_attention is used when present) and
about 42 GB of GPU memory at full size. Weights are random (normal, std 0.02; norms 1): the
timings do not depend on the values."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "export"))

import torch  # noqa: E402

from cogvlm2_model import (  # noqa: E402
    CogVLM2Config, tiny_config, build_model, build_prompt, build_position_ids, get_expert_mask, rope_table, default_inv_freq,
    has_sdpa,
)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tiny", action="store_true", help="tiny config (width 8, depth 2); defaults to CPU and float32")
    p.add_argument("--device", help="cuda (default) or cpu (default with --tiny)")
    p.add_argument("--dtype", choices=["bf16", "fp16", "fp32"], help="weights and activations (default bf16; fp32 with --tiny)")
    p.add_argument("--text-tokens", type=int, default=50, help="text tokens after the 2306 image slots, BOS included (default 50)")
    p.add_argument("--decode-steps", type=int, default=32, help="timed decode steps per batch size")
    p.add_argument("--batches", default="1,8", help="decode batch sizes (default 1,8)")
    p.add_argument("--repeats", type=int, default=3, help="timed repeats of the vision tower and prefill (median reported)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs before timing")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", help="also write the results as JSON to this file")
    return p.parse_args(argv)


class Timer:
    def __init__(self, device: torch.device):
        self.cuda = device.type == "cuda"

    def sync(self):
        if self.cuda:
            torch.cuda.synchronize()

    def time(self, fn, repeats: int, warmup: int):
        for _ in range(warmup):
            fn()
        self.sync()
        out = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            self.sync()
            out.append(time.perf_counter() - t0)
        return out


@torch.no_grad()
def random_weights(model, seed: int, std: float) -> None:
    """Random weights generated on the model's device (fast at 19.5 B parameters)."""
    dev = next(model.parameters()).device
    g = torch.Generator(device=dev).manual_seed(seed)
    for name, p in model.named_parameters():
        if name.endswith("norm.weight") or name.endswith("layernorm.weight") or name.endswith("norm1.weight"):
            p.fill_(1.0)
        elif name.endswith(".bias"):
            p.zero_()
        else:
            p.normal_(0.0, std, generator=g)


def rope_check(device: torch.device, head_dim: int, n_pos: int) -> dict:
    """The HF construction run with torch ops on `device` (bf16 arange, bf16 einsum, bf16 cos/sin)
    against the exporter's emulation (tools/export/cogvlm2_model.rope_table 'bf16')."""
    inv = default_inv_freq(head_dim).to(torch.bfloat16)
    t = torch.arange(n_pos, device=device, dtype=torch.bfloat16)
    freqs = torch.einsum("i,j->ij", t, inv.to(device))
    cos_dev = torch.cos(freqs).to(torch.bfloat16).float().cpu()
    sin_dev = torch.sin(freqs).to(torch.bfloat16).float().cpu()
    cos_emu, sin_emu = rope_table(inv, n_pos, "bf16")
    t_emu = torch.arange(n_pos, dtype=torch.float32).to(torch.bfloat16).float()
    bad = (cos_dev != cos_emu) | (sin_dev != sin_emu)
    rows = torch.nonzero(bad.any(dim=1)).flatten()
    return {
        "device": str(device),
        "positions": n_pos,
        "entries": int(cos_emu.numel() * 2),
        "position_mismatches": int((t.float().cpu() != t_emu).sum()),
        "cos_mismatches": int((cos_dev != cos_emu).sum()),
        "sin_mismatches": int((sin_dev != sin_emu).sum()),
        "first_bad_positions": [int(r) for r in rows[:10]],
        "max_abs_diff": float(max((cos_dev - cos_emu).abs().max(), (sin_dev - sin_emu).abs().max())),
    }


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    device = torch.device(args.device or ("cpu" if args.tiny else "cuda"))
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.stderr.write("error: CUDA is not available to this PyTorch; run on an NVIDIA GPU machine, or use --tiny for the CPU smoke test\n")
        return 2
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[args.dtype or ("fp32" if args.tiny else "bf16")]
    batches = [int(b) for b in args.batches.split(",") if b.strip()]
    cfg: CogVLM2Config = tiny_config() if args.tiny else CogVLM2Config()
    torch.manual_seed(args.seed)
    timer = Timer(device)
    info = {
        "config": "tiny" if args.tiny else "cogvlm2-llama3-chat-19B (full size)",
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu",
        "dtype": str(dtype).replace("torch.", ""),
        "torch": torch.__version__,
        "sdpa": has_sdpa(),
    }
    print(f"# {info['config']} on {info['device']} ({info['dtype']}, torch {info['torch']}, sdpa {info['sdpa']})", flush=True)

    t0 = time.perf_counter()
    model = build_model(cfg, device=str(device), dtype=dtype)
    random_weights(model, args.seed, cfg.initializer_range if not args.tiny else 0.5)
    for layer in model.model.layers:
        layer.self_attn.rotary_emb.inv_freq = default_inv_freq(cfg.head_dim).to(torch.bfloat16)
    model.build_rope("bf16")
    model.eval()
    timer.sync()
    n_params = sum(p.numel() for p in model.parameters())
    results = {"info": info, "parameters": n_params, "build_s": time.perf_counter() - t0}
    print(f"built {n_params / 1e9:.3f} B parameters in {results['build_s']:.1f} s", flush=True)
    if device.type == "cuda":
        results["rope_check"] = rope_check(device, cfg.head_dim, cfg.max_position_embeddings)
        print(f"rope table (GPU ops vs exporter emulation): {json.dumps(results['rope_check'])}", flush=True)

    with torch.no_grad():
        v = cfg.vision_config
        pixels = torch.randn(1, v.in_channels, v.image_size, v.image_size, device=device).to(dtype)
        vt = timer.time(lambda: model.model.vision(pixels), args.repeats, args.warmup)
        results["vision_s_per_image"] = statistics.median(vt)
        print(f"vision tower, 1 image 1344x1344: {results['vision_s_per_image'] * 1e3:.1f} ms (median of {len(vt)})", flush=True)
        image_embeds = model.model.vision(pixels)

        text = max(1, args.text_tokens - 1)  # BOS counts as a text token
        ids, types = build_prompt(list(range(1000, 1000 + text)), cfg.image_tokens)
        input_ids = torch.tensor([ids], device=device)
        tt = torch.tensor([types], device=device)
        emb = model.embed(input_ids)
        emb = emb.index_put((tt == 1,), image_embeds.reshape(-1, cfg.hidden_size).to(emb.dtype))
        vmask, pos = get_expert_mask(tt), build_position_ids(tt)
        n = len(ids)
        pt_all = timer.time(lambda: model.decode(emb, vmask, pos, None, None, last_logits_only=False), args.repeats, args.warmup)
        pt_last = timer.time(lambda: model.decode(emb, vmask, pos, None, None, last_logits_only=True), args.repeats, args.warmup)
        results["prompt_tokens"] = n
        results["prefill_s_all_logits"] = statistics.median(pt_all)
        results["prefill_s_last_logits"] = statistics.median(pt_last)
        print(f"prefill, {n} tokens (1 BOS + {cfg.image_tokens} image + {text} text): {results['prefill_s_all_logits'] * 1e3:.1f} ms with float32 logits at every position (as HF), "
              f"{results['prefill_s_last_logits'] * 1e3:.1f} ms with the last position's only", flush=True)
        _, past = model.decode(emb, vmask, pos, None, None, last_logits_only=True)
        next_pos = int(pos[0, -1]) + 1

        results["decode"] = {}
        for b in batches:
            kv = [(k.expand(b, -1, -1, -1).contiguous(), v.expand(b, -1, -1, -1).contiguous()) for k, v in past]
            tok = torch.full((b, 1), 1000, dtype=torch.long, device=device)
            mask = torch.zeros((b, 1), dtype=torch.bool, device=device)

            def run_steps(steps: int):
                cache = kv
                p = next_pos
                for _ in range(steps):
                    logits, cache = model.decode(model.embed(tok), mask, torch.full((b, 1), p, dtype=torch.long, device=device), None, cache, last_logits_only=True)
                    p += 1
                return logits

            run_steps(2)
            timer.sync()
            t1 = time.perf_counter()
            run_steps(args.decode_steps)
            timer.sync()
            per_step = (time.perf_counter() - t1) / args.decode_steps
            results["decode"][str(b)] = {"ms_per_step": per_step * 1e3, "tokens_per_s": b / per_step, "context": n}
            print(f"decode, batch {b}, context {n}: {per_step * 1e3:.2f} ms/token-step ({b / per_step:.1f} tokens/s), KV cache grown by concatenation as HF does", flush=True)
        if device.type == "cuda":
            results["peak_gpu_memory_gib"] = torch.cuda.max_memory_allocated(device) / 2**30
            print(f"peak GPU memory: {results['peak_gpu_memory_gib']:.1f} GiB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
