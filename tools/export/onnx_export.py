"""Exports a CogVLM2 module to the three ONNX graphs of tools/export/CONTRACT.md (vision.onnx,
embed_tokens.onnx, decoder.onnx with past/present key-values): traces a shape-only module
(shape_model) without weights, then streams the weights tensor by tensor from the safetensors
checkpoint into the graphs (fp16/bf16 storage, external data); writes the export's config.json."""

from __future__ import annotations

import hashlib
import inspect
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
from safetensors_io import memmap_tensor
from shape_model import Source, TaggedModel, shape_only_matmuls
from preprocess import CLIP_MEAN, CLIP_STD

OPSET = 17
GRAPH_FILES = {"vision": "vision.onnx", "embed": "embed_tokens.onnx", "decoder": "decoder.onnx"}
EXTERNAL_THRESHOLD = 1 << 30  # graphs with more initializer bytes than this get external data


class ExportError(Exception):
    """An export that cannot be written as asked (the message says what to change)."""


def _compute_dtype(model: CogVLM2) -> torch.dtype:
    """The dtype the module's parameters (and so the graph's arithmetic) have."""
    return next(model.parameters()).dtype


def _to(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """A cast only when the types differ (float32 graphs get no extra node)."""
    return x if x.dtype == dtype else x.to(dtype)


class VisionGraph(nn.Module):
    def __init__(self, model: CogVLM2):
        super().__init__()
        self.vision = model.model.vision
        self.dtype = _compute_dtype(model)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return _to(self.vision(_to(pixel_values, self.dtype)), torch.float32)


class EmbedGraph(nn.Module):
    def __init__(self, model: CogVLM2):
        super().__init__()
        self.embed_tokens = model.model.embed_tokens

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return _to(self.embed_tokens(input_ids), torch.float32)


class DecoderGraph(nn.Module):
    """Graph I/O is float32 whatever the arithmetic (CONTRACT.md); a half-precision graph casts
    its inputs and past key/values on entry and its outputs on exit."""

    def __init__(self, model: CogVLM2):
        super().__init__()
        self.m = model
        self.n = model.config.num_hidden_layers
        self.dtype = _compute_dtype(model)

    def forward(self, inputs_embeds, vision_expert_mask, position_ids, attention_mask, *past_flat):
        past = [(_to(past_flat[2 * i], self.dtype), _to(past_flat[2 * i + 1], self.dtype)) for i in range(self.n)]
        logits, presents = self.m.decode(_to(inputs_embeds, self.dtype), vision_expert_mask, position_ids, attention_mask, past)
        out = [logits]
        for k, v in presents:
            out += [_to(k, torch.float32), _to(v, torch.float32)]
        return tuple(out)


def decoder_io_names(n_layers: int) -> Tuple[List[str], List[str]]:
    inputs = ["inputs_embeds", "vision_expert_mask", "position_ids", "attention_mask"]
    outputs = ["logits"]
    for i in range(n_layers):
        inputs += [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
        outputs += [f"present.{i}.key", f"present.{i}.value"]
    return inputs, outputs


def _export(module: nn.Module, args: tuple, path: str, inputs: List[str], outputs: List[str], dynamic: Dict[str, Dict[int, str]]) -> Dict[str, torch.Tensor]:
    """torch.onnx.export without writing the weights (export_params=False: parameters and the
    constants torch folds from them stay graph inputs); returns those inputs' values as torch
    computed them (for a tagged module: views of the tags, see shape_model)."""
    module.eval()
    captured: Dict[str, torch.Tensor] = {}
    utils = torch.onnx.utils
    real = getattr(utils, "_model_to_graph", None)
    if real is None:
        raise ExportError(f"torch {torch.__version__} lacks the TorchScript ONNX exporter (torch.onnx.utils._model_to_graph); use torch 1.13 to 2.8")

    def spy(*a, **k):
        graph, params, out = real(*a, **k)
        captured.update(params)
        return graph, params, out

    # torch's ONNX shape inference serialises every parameter it is given (all the weights, full
    # size, at once); it only needs their types and shapes, which the graph inputs carry
    real_infer = torch._C._jit_pass_onnx_graph_shape_type_inference

    def infer_without_weights(graph, params_dict, *rest):
        small = {k: v for k, v in params_dict.items() if not (v.dim() and 0 in v.stride())}
        return real_infer(graph, small, *rest)

    # the trace runs the module: with shape-only matrix products (shape_model.shape_only_matmuls)
    real_trace = torch.jit._get_trace_graph

    half = any(p.dtype in (torch.float16, torch.bfloat16) for p in module.parameters())

    def trace_shapes_only(*a, **k):
        with shape_only_matmuls(half):
            return real_trace(*a, **k)

    extra = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    utils._model_to_graph = spy
    torch._C._jit_pass_onnx_graph_shape_type_inference = infer_without_weights
    torch.jit._get_trace_graph = trace_shapes_only
    try:
        with torch.no_grad():
            torch.onnx.export(
                module, args, path,
                input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
                opset_version=OPSET, do_constant_folding=True, export_params=False, **extra,
            )
    finally:
        utils._model_to_graph = real
        torch._C._jit_pass_onnx_graph_shape_type_inference = real_infer
        torch.jit._get_trace_graph = real_trace
    return captured


def export_vision(model: CogVLM2, path: str) -> Dict[str, torch.Tensor]:
    v = model.config.vision_config
    pixels = torch.zeros(1, v.in_channels, v.image_size, v.image_size)
    return _export(VisionGraph(model), (pixels,), path, ["pixel_values"], ["image_embeds"],
            {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}})


def export_embed(model: CogVLM2, path: str) -> Dict[str, torch.Tensor]:
    ids = torch.tensor([[128000, 791, 128002]], dtype=torch.long)
    return _export(EmbedGraph(model), (ids,), path, ["input_ids"], ["inputs_embeds"],
            {"input_ids": {0: "batch", 1: "sequence"}, "inputs_embeds": {0: "batch", 1: "sequence"}})


def export_decoder(model: CogVLM2, path: str) -> Dict[str, torch.Tensor]:
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
    return _export(DecoderGraph(model), (embeds, vmask, pos, am, *past), path, inputs, outputs, dyn)


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


_CHUNK = 1 << 24  # elements converted at a time


def _upcast(block: np.ndarray, tag: str) -> np.ndarray:
    """Stored checkpoint values -> float32 (bfloat16 bit patterns shifted into place; exact)."""
    if tag == "BF16":
        return (np.asarray(block, dtype=np.uint32) << 16).view(np.float32)
    if tag in ("F32", "F16", "F64"):
        return np.asarray(block, dtype=np.float32)
    raise ExportError(f"checkpoint tensor of dtype {tag} cannot be a float weight")


def _float_chunks(src: Source, path: str):
    """The initializer's float32 values in its own layout (row-major), chunk by chunk, read from
    the memory-mapped checkpoint tensor: at most _CHUNK elements in memory at a time."""
    arr, tag = memmap_tensor(path, src.name)
    try:
        if src.transform == "transpose":
            rows, cols = arr.shape
            step = max(1, _CHUNK // max(rows, 1))
            for c in range(0, cols, step):
                yield np.ascontiguousarray(_upcast(arr[:, c:c + step], tag).T).reshape(-1)
        else:  # same, unsqueeze0: the same bytes in the same order
            flat = arr.reshape(-1)
            for i in range(0, max(flat.size, 1), _CHUNK):
                yield _upcast(flat[i:i + _CHUNK], tag)
    finally:
        del arr


def _encode(chunk: np.ndarray, target: str) -> bytes:
    """Little-endian bytes of float32 values stored as target ('same', 'fp16', 'bf16')."""
    if target == "fp16":
        return chunk.astype("<f2").tobytes()
    if target == "bf16":
        return _bf16_bits(chunk).astype("<u2").tobytes()
    return chunk.astype("<f4").tobytes()


def _tensor_type(value: torch.Tensor) -> int:
    """The ONNX element type of a torch tensor's dtype."""
    np_type = np.dtype(str(value.dtype).replace("torch.", ""))
    helper = getattr(onnx.helper, "np_dtype_to_tensor_dtype", None)
    return int(helper(np_type)) if helper is not None else int(onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[np_type])


def _load_attribute_data(proto: onnx.ModelProto, base: str) -> None:
    """Tensors in node attributes (Constant values such as the RoPE table) that torch wrote as
    their own files next to the graph are read into the graph, so nothing refers to the
    temporary directory (the onnx.checker error `Data of TensorProto /Constant_12_attr::value
    should be stored in ...`)."""
    from onnx.external_data_helper import load_external_data_for_tensor, uses_external_data

    def walk(graph: onnx.GraphProto):
        for node in graph.node:
            for attr in node.attribute:
                tensors = ([attr.t] if attr.HasField("t") else []) + list(attr.tensors)
                for t in tensors:
                    if uses_external_data(t):
                        load_external_data_for_tensor(t, base)
                        t.data_location = TensorProto.DEFAULT
                        del t.external_data[:]
                for g in ([attr.g] if attr.HasField("g") else []) + list(attr.graphs):
                    walk(g)

    walk(proto.graph)


def finalize(src_path: str, dst_path: str, captured: Dict[str, torch.Tensor], tagged: TaggedModel, where: Dict[str, str],
             dtype: str, external: str, next_token: bool = False) -> Dict[str, object]:
    """Turns a graph torch exported without weights into the final graph, streaming each weight
    from the checkpoint: every graph input that is a parameter (or a constant folded from one)
    becomes an initializer read tensor by tensor from its safetensors file; dtype 'fp16' / 'bf16'
    stores the float32 weights in that type, each followed by a Cast to float32 (I/O and
    arithmetic stay float32; the RoPE table stays float32); external 'always' / 'auto' (above
    1 GiB of weights) / 'never' puts the weights in one `<graph>.onnx.data` file (64-byte
    aligned); next_token (the decoder) appends the `next_token` output (add_next_token)."""
    base = os.path.dirname(os.path.abspath(src_path))
    proto = onnx.load(src_path, load_external_data=False)
    _load_attribute_data(proto, base)
    graph = proto.graph
    if len(graph.initializer):
        raise ExportError(f"{os.path.basename(dst_path)}: torch wrote {len(graph.initializer)} initializers although asked not to")
    weights = [i for i in graph.input if i.name in captured]
    sources: Dict[str, Optional[Source]] = {}
    for i in weights:
        try:
            sources[i.name] = tagged.source_of(i.name, captured[i.name])
        except ValueError as e:
            raise ExportError(f"{os.path.basename(dst_path)}: {e}")
    total = sum(int(captured[i.name].numel()) * captured[i.name].element_size() for i in weights)
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
        for inp in weights:
            name = inp.name
            value = captured[name]
            src = sources[name]
            shape = tuple(int(d) for d in value.shape)
            numel = int(value.numel())
            is_float = value.dtype == torch.float32
            target = "same"
            stored = name
            data_type = TensorProto.FLOAT if is_float else (0 if value.dtype in (torch.float16, torch.bfloat16) else _tensor_type(value))
            if value.dtype in (torch.float16, torch.bfloat16):  # a half-precision graph: stored as computed, no Cast
                if src is None:
                    raise ExportError(f"{os.path.basename(dst_path)}: half-precision initializer {name} does not come from the checkpoint")
                target = "bf16" if value.dtype == torch.bfloat16 else "fp16"
                data_type = TensorProto.BFLOAT16 if target == "bf16" else TensorProto.FLOAT16
            elif dtype in ("fp16", "bf16") and is_float and numel >= 16 and not _is_rope_table(name):
                target = dtype
                stored = f"{name}.{dtype}"
                data_type = TensorProto.FLOAT16 if dtype == "fp16" else TensorProto.BFLOAT16
                casts.append(onnx.helper.make_node("Cast", [stored], [name], to=TensorProto.FLOAT, name=f"cast_{name}"))
                converted += 1
            if src is None:  # a constant not taken from the checkpoint (small): torch's own value
                const = value.detach().contiguous().numpy()
                chunks = lambda c=const: iter([c.reshape(-1)])  # noqa: E731
            else:
                chunks = lambda s=src: _float_chunks(s, where[s.name])  # noqa: E731
            width = 2 if target != "same" else value.element_size()
            nbytes = numel * width
            if fh is not None and nbytes >= 1024:
                pad = (-offset) % 64
                fh.write(b"\0" * pad)
                offset += pad
                for part in chunks():
                    fh.write(_encode(part, target) if part.dtype == np.float32 else part.tobytes())
                t = TensorProto()
                t.name, t.data_type = stored, data_type
                t.dims.extend(shape)
                t.data_location = TensorProto.EXTERNAL
                for k, v in (("location", data_name), ("offset", str(offset)), ("length", str(nbytes))):
                    e = t.external_data.add()
                    e.key, e.value = k, v
                offset += nbytes
            elif target == "same":
                parts = list(chunks())
                arr = np.concatenate(parts) if len(parts) > 1 else parts[0]
                t = numpy_helper.from_array(np.ascontiguousarray(arr).reshape(shape), stored)
            else:
                t = onnx.helper.make_tensor(stored, data_type, list(shape), b"".join(_encode(p, target) for p in chunks()), raw=True)
            new_inits.append(t)
    finally:
        if fh is not None:
            fh.close()
    keep = [i for i in graph.input if i.name not in captured]
    del graph.input[:]
    graph.input.extend(keep)
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


def export_all(tagged: TaggedModel, where: Dict[str, str], out_dir: str, dtype: str, rope: str, external: str,
               graphs=("vision", "embed", "decoder"), log=print) -> Dict[str, object]:
    """Exports the wanted graphs of a tagged (shape-only) module into out_dir, streaming the
    weights from the checkpoint files in `where`; returns per-graph facts for config.json."""
    os.makedirs(out_dir, exist_ok=True)
    model = tagged.model
    facts: Dict[str, object] = {}
    jobs = []
    if hasattr(model.model, "vision") and "vision" in graphs:
        jobs.append(("vision", export_vision))
    if model.with_language:
        model.build_rope(rope)
        jobs += [(k, fn) for k, fn in (("embed", export_embed), ("decoder", export_decoder)) if k in graphs]
    for key, fn in jobs:
        fname = GRAPH_FILES[key]
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=f".tmp-{key}-") as tmp:
            raw = os.path.join(tmp, fname)
            log(f"exporting {fname} ...")
            with tagged.cheap_clones():
                captured = fn(model, raw)
            facts[key] = finalize(raw, os.path.join(out_dir, fname), captured, tagged, where, dtype, external, next_token=key == "decoder")
            del captured
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
