"""Exports a CogVLM2 module to the three ONNX graphs of tools/export/CONTRACT.md (vision.onnx,
embed_tokens.onnx, decoder.onnx with past/present key-values), rewrites them for fp16 weight
storage and external data, and writes the output directory's config.json."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from typing import Dict, List, Optional, Tuple

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper, TensorProto

from cogvlm2_model import CogVLM2, CogVLM2Config
from preprocess import CLIP_MEAN, CLIP_STD

OPSET = 17
GRAPH_FILES = {"vision": "vision.onnx", "embed": "embed_tokens.onnx", "decoder": "decoder.onnx"}
EXTERNAL_THRESHOLD = 1 << 30  # graphs with more initializer bytes than this get external data


class ExportError(Exception):
    """An export that cannot be written as asked (the message says what to change)."""


class VisionGraph(nn.Module):
    def __init__(self, model: CogVLM2):
        super().__init__()
        self.vision = model.model.vision

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.vision(pixel_values)


class EmbedGraph(nn.Module):
    def __init__(self, model: CogVLM2):
        super().__init__()
        self.embed_tokens = model.model.embed_tokens

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.embed_tokens(input_ids)


class DecoderGraph(nn.Module):
    def __init__(self, model: CogVLM2):
        super().__init__()
        self.m = model
        self.n = model.config.num_hidden_layers

    def forward(self, inputs_embeds, vision_expert_mask, position_ids, attention_mask, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(self.n)]
        logits, presents = self.m.decode(inputs_embeds, vision_expert_mask, position_ids, attention_mask, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


def decoder_io_names(n_layers: int) -> Tuple[List[str], List[str]]:
    inputs = ["inputs_embeds", "vision_expert_mask", "position_ids", "attention_mask"]
    outputs = ["logits"]
    for i in range(n_layers):
        inputs += [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
        outputs += [f"present.{i}.key", f"present.{i}.value"]
    return inputs, outputs


def _export(module: nn.Module, args: tuple, path: str, inputs: List[str], outputs: List[str], dynamic: Dict[str, Dict[int, str]]) -> None:
    module.eval()
    with torch.no_grad():
        torch.onnx.export(
            module, args, path,
            input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
            opset_version=OPSET, do_constant_folding=True,
        )


def export_vision(model: CogVLM2, path: str) -> None:
    v = model.config.vision_config
    pixels = torch.zeros(1, v.in_channels, v.image_size, v.image_size)
    _export(VisionGraph(model), (pixels,), path, ["pixel_values"], ["image_embeds"],
            {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})


def export_embed(model: CogVLM2, path: str) -> None:
    ids = torch.tensor([[128000, 791, 128002]], dtype=torch.long)
    _export(EmbedGraph(model), (ids,), path, ["input_ids"], ["inputs_embeds"],
            {"input_ids": {0: "batch", 1: "sequence"}, "inputs_embeds": {0: "batch", 1: "sequence"}})


def export_decoder(model: CogVLM2, path: str) -> None:
    cfg = model.config
    # trace with a past of 2 and 3 new tokens (vision, vision, language) so that no size is specialised
    p, t = 2, 3
    g = torch.Generator().manual_seed(0)
    embeds = torch.randn(1, t, cfg.hidden_size, generator=g)
    vmask = torch.tensor([[True, True, False]])
    pos = torch.tensor([[2, 2, 3]], dtype=torch.long)
    am = torch.ones(1, p + t, dtype=torch.long)
    past = []
    for _ in range(cfg.num_hidden_layers):
        past += [torch.randn(1, cfg.num_multi_query_heads, p, cfg.head_dim, generator=g),
                 torch.randn(1, cfg.num_multi_query_heads, p, cfg.head_dim, generator=g)]
    inputs, outputs = decoder_io_names(cfg.num_hidden_layers)
    dyn: Dict[str, Dict[int, str]] = {
        "inputs_embeds": {0: "batch", 1: "sequence"},
        "vision_expert_mask": {0: "batch", 1: "sequence"},
        "position_ids": {0: "batch", 1: "sequence"},
        "attention_mask": {0: "batch", 1: "total_sequence"},
        "logits": {0: "batch", 1: "sequence"},
    }
    for name in inputs[4:]:
        dyn[name] = {0: "batch", 2: "past_sequence"}
    for name in outputs[1:]:
        dyn[name] = {0: "batch", 2: "total_sequence"}
    _export(DecoderGraph(model), (embeds, vmask, pos, am, *past), path, inputs, outputs, dyn)


NEXT_TOKEN = "next_token"


def add_next_token(graph: onnx.GraphProto) -> None:
    """Appends the greedy step to a decoder graph: `next_token` int64 [batch, 1] = ArgMax over the
    vocabulary of the LAST position's logits (Gather index -1 on the sequence axis, then ArgMax
    keepdims=1, select_last_index=0: ties go to the first maximum, as torch.argmax). Engines fetch
    it instead of the [batch, sequence, V] logits during greedy decoding."""
    names = [o.name for o in graph.output]
    if "logits" not in names:
        raise ExportError("decoder graph has no logits output to take next_token from")
    if NEXT_TOKEN in names:
        return
    last = numpy_helper.from_array(np.array(-1, dtype=np.int64), "next_token_last_position")
    graph.initializer.append(last)
    graph.node.extend([
        onnx.helper.make_node("Gather", ["logits", last.name], ["next_token_last_logits"], axis=1, name="next_token_gather_last"),
        onnx.helper.make_node("ArgMax", ["next_token_last_logits"], [NEXT_TOKEN], axis=-1, keepdims=1, select_last_index=0,
                              name="next_token_argmax"),
    ])
    graph.output.insert(1, onnx.helper.make_tensor_value_info(NEXT_TOKEN, TensorProto.INT64, ["batch", 1]))


def _bf16_bits(arr: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bit patterns, rounded to nearest even (exact for bf16 checkpoint values)."""
    u = np.ascontiguousarray(arr, dtype=np.float32).view(np.uint32)
    r = (u >> 16) & 1
    r += 0x7FFF
    r += u  # wraps only for NaN bit patterns, which weights do not hold
    return (r >> 16).astype(np.uint16)


def _is_rope_table(name: str) -> bool:
    """The RoPE tables (non-persistent buffers; torch 1.13 exports them as Constant nodes, other
    versions may make them initializers) keep float32."""
    return "rope_cos_" in name or "rope_sin_" in name


_NP_TYPES = {
    TensorProto.FLOAT: np.float32, TensorProto.FLOAT16: np.float16, TensorProto.DOUBLE: np.float64,
    TensorProto.INT64: np.int64, TensorProto.INT32: np.int32, TensorProto.INT8: np.int8,
    TensorProto.UINT8: np.uint8, TensorProto.BOOL: np.bool_,
}
_CHUNK = 1 << 24  # elements converted at a time


def _source(init: TensorProto, base: str) -> np.ndarray:
    """An initializer's values; external data (torch writes one file per tensor above 2 GB) is
    memory-mapped, not read."""
    if init.data_location != TensorProto.EXTERNAL:
        return numpy_helper.to_array(init)
    if init.data_type not in _NP_TYPES:
        raise ValueError(f"initializer {init.name}: unsupported external data type {init.data_type}")
    info = {e.key: e.value for e in init.external_data}
    shape = tuple(int(d) for d in init.dims)
    if int(np.prod(shape)) == 0:
        return np.zeros(shape, dtype=_NP_TYPES[init.data_type])
    return np.memmap(os.path.join(base, info["location"]), dtype=np.dtype(_NP_TYPES[init.data_type]).newbyteorder("<"), mode="r",
                     offset=int(info.get("offset", 0)), shape=shape)


def _encode(arr: np.ndarray, target: str):
    """Little-endian bytes of `arr` stored as target ('same', 'fp16', 'bf16'), chunk by chunk."""
    flat = arr.reshape(-1)
    for i in range(0, max(flat.size, 1), _CHUNK):
        chunk = np.asarray(flat[i:i + _CHUNK])
        if target == "fp16":
            chunk = chunk.astype("<f2")
        elif target == "bf16":
            chunk = _bf16_bits(chunk).astype("<u2")
        elif chunk.dtype.byteorder == ">":
            chunk = chunk.byteswap().newbyteorder()
        yield chunk.tobytes()


def finalize(src_path: str, dst_path: str, dtype: str, external: str, next_token: bool = False) -> Dict[str, object]:
    """Rewrites a torch-exported graph (which may use per-tensor external files next to it),
    streaming each weight: dtype 'fp16' / 'bf16' stores the float32 weight initializers in that
    type, each followed by a Cast to float32 (I/O and arithmetic stay float32; the RoPE table
    stays float32); external 'always' / 'auto' (above 1 GiB of weights) / 'never' puts the
    weights in one `<graph>.onnx.data` file (64-byte aligned); next_token (the decoder) appends
    the `next_token` output (add_next_token)."""
    base = os.path.dirname(os.path.abspath(src_path))
    proto = onnx.load(src_path, load_external_data=False)
    graph = proto.graph
    width = {t: np.dtype(n).itemsize for t, n in _NP_TYPES.items()}
    total = sum(int(np.prod(list(i.dims))) * width.get(i.data_type, 4) for i in graph.initializer)
    use_external = external == "always" or (external == "auto" and total > EXTERNAL_THRESHOLD)
    if not use_external and total > (2 << 30) - (64 << 20):
        raise ExportError(f"{os.path.basename(dst_path)}: {total / 2**30:.1f} GiB of weights do not fit a single .onnx file "
                         "(protobuf limit 2 GiB); use --external-data auto or always")
    data_name = os.path.basename(dst_path) + ".data"
    data_path = os.path.join(os.path.dirname(os.path.abspath(dst_path)), data_name)
    casts: List[onnx.NodeProto] = []
    new_inits: List[TensorProto] = []
    offset = 0
    converted = 0
    fh = open(data_path, "wb") if use_external else None
    try:
        for init in list(graph.initializer):
            name = init.name
            arr = _source(init, base)
            target = "same"
            stored, data_type = name, init.data_type
            if dtype in ("fp16", "bf16") and arr.dtype == np.float32 and arr.size >= 16 and not _is_rope_table(name):
                target = dtype
                stored = f"{name}.{dtype}"
                data_type = TensorProto.FLOAT16 if dtype == "fp16" else TensorProto.BFLOAT16
                casts.append(onnx.helper.make_node("Cast", [stored], [name], to=TensorProto.FLOAT, name=f"cast_{name}"))
                converted += 1
            nbytes = arr.size * (2 if target != "same" else arr.dtype.itemsize)
            if fh is not None and nbytes >= 1024:
                pad = (-offset) % 64
                fh.write(b"\0" * pad)
                offset += pad
                for part in _encode(arr, target):
                    fh.write(part)
                t = TensorProto()
                t.name, t.data_type = stored, data_type
                t.dims.extend(arr.shape)
                t.data_location = TensorProto.EXTERNAL
                for k, v in (("location", data_name), ("offset", str(offset)), ("length", str(nbytes))):
                    e = t.external_data.add()
                    e.key, e.value = k, v
                offset += nbytes
            elif target == "same":
                t = numpy_helper.from_array(np.asarray(arr), stored)
            else:
                t = onnx.helper.make_tensor(stored, data_type, list(arr.shape), b"".join(_encode(arr, target)), raw=True)
            new_inits.append(t)
            del arr
    finally:
        if fh is not None:
            fh.close()
    del graph.initializer[:]
    graph.initializer.extend(new_inits)
    if casts:
        nodes = list(graph.node)
        del graph.node[:]
        graph.node.extend(casts + nodes)
    if next_token:
        add_next_token(graph)
    onnx.save(proto, dst_path)
    onnx.checker.check_model(dst_path)
    return {"external_data": data_name if use_external else None, "weight_bytes": int(total), "converted_weights": converted}


def export_all(model: CogVLM2, out_dir: str, dtype: str, rope: str, external: str, log=print) -> Dict[str, object]:
    """Exports the graphs the module holds into out_dir; returns per-graph facts for config.json."""
    os.makedirs(out_dir, exist_ok=True)
    facts: Dict[str, object] = {}
    jobs = []
    if hasattr(model.model, "vision"):
        jobs.append(("vision", export_vision))
    if model.with_language:
        model.build_rope(rope)
        jobs += [("embed", export_embed), ("decoder", export_decoder)]
    for key, fn in jobs:
        fname = GRAPH_FILES[key]
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=f".tmp-{key}-") as tmp:
            raw = os.path.join(tmp, fname)
            log(f"exporting {fname} ...")
            fn(model, raw)
            facts[key] = finalize(raw, os.path.join(out_dir, fname), dtype, external, next_token=key == "decoder")
        stale = os.path.join(out_dir, fname + ".data")
        if facts[key]["external_data"] is None and os.path.exists(stale):
            os.remove(stale)
        log(f"  {fname}: {facts[key]['weight_bytes'] / 2**20:.1f} MiB of weights" + (f", external data {facts[key]['external_data']}" if facts[key]["external_data"] else ""))
    return facts


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def onnx_config(cfg: CogVLM2Config, dtype: str, rope: str, facts: Dict[str, object], tokenizer: Optional[Dict[str, object]],
                source: Dict[str, object], extra: Optional[Dict[str, object]] = None) -> dict:
    """config.json of an export: the Hugging Face fields plus the cogeval_onnx block (`extra`
    adds fields such as model_id / random_weights)."""
    d = cfg.to_hf_dict()
    d["cogeval_onnx"] = {
        "format": 1,
        **(extra or {}),
        "graphs": {k: GRAPH_FILES[k] for k in GRAPH_FILES if k in facts},
        "external_data": {k: v["external_data"] for k, v in facts.items() if isinstance(v, dict) and v.get("external_data")},
        "dtype": dtype,
        "io_dtype": "float32",
        "num_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "num_kv_heads": cfg.num_multi_query_heads,
        "head_dim": cfg.head_dim,
        "hidden_size": cfg.hidden_size,
        "vocab_size": cfg.vocab_size,
        "image_tokens": cfg.image_tokens,
        "image_size": cfg.vision_config.image_size,
        "patch_size": cfg.vision_config.patch_size,
        "image_mean": list(CLIP_MEAN),
        "image_std": list(CLIP_STD),
        "rope": "bf16-table" if rope == "bf16" else "fp32",
        "rope_positions": cfg.max_position_embeddings,
        "bos_token_id": cfg.bos_token_id,
        "eos_token_ids": list(cfg.eos_token_id),
        "pad_token_id": cfg.pad_token_id,
        "template_version": cfg.template_version,
        "tokenizer": tokenizer,
        "source": source,
    }
    return d


TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json")


def copy_tokenizer(hf_dir: str, out_dir: str) -> Optional[Dict[str, object]]:
    """Copies the tokenizer (and generation config) files present in hf_dir; returns the
    config.json `tokenizer` entry, or None when the directory has no tokenizer.json."""
    copied = []
    for name in TOKENIZER_FILES:
        src = os.path.join(hf_dir, name)
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(out_dir, name))
            copied.append(name)
    if "tokenizer.json" not in copied:
        return None
    entry: Dict[str, object] = {"file": "tokenizer.json", "sha256": sha256_file(os.path.join(out_dir, "tokenizer.json"))}
    if "tokenizer_config.json" in copied:
        entry["config"] = "tokenizer_config.json"
    return entry


def write_json(path: str, obj: object) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
