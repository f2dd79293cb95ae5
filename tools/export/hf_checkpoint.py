"""Loads and saves CogVLM2 Hugging Face checkpoints: config.json with the official field names
and safetensors weights (single file or sharded with model.safetensors.index.json) by the
official tensor names."""

from __future__ import annotations

import json
import os
from typing import Dict, List, Tuple

import torch

from cogvlm2_model import CogVLM2, CogVLM2Config, ConfigError, build_model, checkpoint_shapes, default_inv_freq
from safetensors_io import checkpoint_files, iter_file, list_tensors, write_checkpoint


def read_config(hf_dir: str) -> CogVLM2Config:
    path = os.path.join(hf_dir, "config.json")
    if not os.path.isdir(hf_dir):
        raise ConfigError(f"{hf_dir}: not a directory; --hf-dir must be the Hugging Face model directory (config.json + *.safetensors)")
    if not os.path.exists(path):
        raise ConfigError(f"{path}: not found; --hf-dir must be the Hugging Face model directory (config.json + *.safetensors)")
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except json.JSONDecodeError as e:
        raise ConfigError(f"{path}: line {e.lineno} column {e.colno}: not valid JSON ({e.msg})")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: must hold a JSON object")
    return CogVLM2Config.from_hf_dict(raw, path)


def _is_vision(name: str) -> bool:
    return name.startswith("model.vision.")


def checked_tensor_shapes(hf_dir: str, expected: Dict[str, Tuple[int, ...]], wanted, optional=lambda n: False):
    """The checkpoint tensors `wanted` selects: (name -> file, name -> (shape, file)), read from the
    file headers only (no data). Raises ConfigError naming shape mismatches against `expected`
    (from config.json) and expected tensors that are missing (unless `optional`)."""
    where = {n: p for n, p in checkpoint_files(hf_dir).items() if wanted(n)}
    shapes: Dict[str, Tuple[Tuple[int, ...], str]] = {}
    for path in sorted(set(where.values())):
        for name, (_, shape) in list_tensors(path).items():
            if name in where:
                shapes[name] = (tuple(shape), path)
    bad = [f"{n}: checkpoint {shapes[n][0]}, config expects {expected[n]} ({os.path.basename(shapes[n][1])})"
           for n in expected if n in shapes and shapes[n][0] != expected[n]]
    if bad:
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise ConfigError(f"{hf_dir}: tensor shapes disagree with config.json: " + "; ".join(bad[:5]) + more)
    missing = [n for n in expected if n not in shapes and not optional(n)]
    if missing:
        more = f" (and {len(missing) - 8} more)" if len(missing) > 8 else ""
        raise ConfigError(f"{hf_dir}: {len(missing)} tensors missing from the checkpoint: {', '.join(missing[:8])}{more}; "
                          "is this a complete CogVLM2 checkpoint whose config.json matches its weights?")
    return where, shapes


def load_weights(model: CogVLM2, hf_dir: str, wanted) -> List[str]:
    """Copies the checkpoint tensors (official names, any stored dtype) that `wanted` selects
    into the module, one tensor at a time (peak memory: the module plus one tensor). Shapes are
    checked against config.json from the file headers before any data is read; inv_freq keeps
    its stored values and dtype. Raises ConfigError naming missing tensors and shape
    mismatches; returns notes."""
    expected = checkpoint_shapes(model)
    where, shapes = checked_tensor_shapes(hf_dir, expected, wanted, optional=lambda n: n.endswith("rotary_emb.inv_freq"))
    notes: List[str] = []
    state = model.state_dict()
    by_file: Dict[str, List[str]] = {}
    for n in expected:
        if n in shapes:
            by_file.setdefault(shapes[n][1], []).append(n)
    with torch.no_grad():
        for path, names in sorted(by_file.items()):
            for name, t in iter_file(path, names):
                if name.endswith("rotary_emb.inv_freq"):
                    model.get_submodule(name.rsplit(".", 1)[0]).inv_freq = t.clone().to(state[name].device)
                else:
                    state[name].copy_(t.to(state[name].dtype))
    absent_inv = [n for n in expected if n.endswith("rotary_emb.inv_freq") and n not in shapes]
    for name in absent_inv:
        model.get_submodule(name.rsplit(".", 1)[0]).inv_freq = default_inv_freq(model.config.head_dim).to(torch.bfloat16)
    if absent_inv:
        notes.append(f"{len(absent_inv)} rotary_emb.inv_freq buffers absent from the checkpoint: computed as 1/500000^(2i/d) and rounded to bf16")
    unused = [n for n in where if n not in expected]
    if unused:
        notes.append(f"{len(unused)} checkpoint tensors not used: {', '.join(sorted(unused)[:5])}")
    return notes


def load_model(hf_dir: str, with_vision: bool = True, with_language: bool = True, dtype: torch.dtype = torch.float32,
               query_chunk: int = 4096) -> Tuple[CogVLM2Config, CogVLM2, List[str]]:
    """The module for the requested parts with the checkpoint's weights (converted to `dtype`;
    inv_freq keeps its stored dtype). Reads only the tensors those parts need."""
    cfg = read_config(hf_dir)
    model = build_model(cfg, with_vision=with_vision, with_language=with_language, dtype=dtype, query_chunk=query_chunk)

    def wanted(name: str) -> bool:
        return (with_vision and _is_vision(name)) or (with_language and not _is_vision(name))

    notes = load_weights(model, hf_dir, wanted)
    model.eval()
    return cfg, model, notes


def save_checkpoint(model: CogVLM2, hf_dir: str, shards: int = 1, dtype: torch.dtype = torch.bfloat16) -> List[str]:
    """Writes config.json, generation_config.json and the weights (in `dtype`, bf16 like the
    official checkpoint; inv_freq as stored) under the official names."""
    os.makedirs(hf_dir, exist_ok=True)
    cfg = model.config
    with open(os.path.join(hf_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg.to_hf_dict(), f, indent=2)
        f.write("\n")
    gen = {"bos_token_id": cfg.bos_token_id, "eos_token_id": list(cfg.eos_token_id), "pad_token_id": cfg.pad_token_id,
           "do_sample": True, "temperature": 0.6, "top_p": 0.9, "max_length": 4096}
    with open(os.path.join(hf_dir, "generation_config.json"), "w", encoding="utf-8") as f:
        json.dump(gen, f, indent=2)
        f.write("\n")
    tensors: Dict[str, torch.Tensor] = {}
    for name, t in model.state_dict().items():
        tensors[name] = t if name.endswith("rotary_emb.inv_freq") else t.to(dtype)
    return ["config.json", "generation_config.json"] + write_checkpoint(hf_dir, tensors, shards)
