"""A CogVLM2 module built from config.json shapes alone, for tracing the ONNX graphs without
holding any weights: every parameter is a stride-0 view of one column of float32 tags
that name the checkpoint tensor it stands for, so each initializer of the traced graph (a parameter
or a constant torch folded from one: transposed, unsqueezed) can be mapped back to the
checkpoint tensor and the transform that turns one into the other."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from torch.overrides import TorchFunctionMode

from cogvlm2_model import CogVLM2, CogVLM2Config, _skip_default_init, checkpoint_shapes, default_inv_freq
from safetensors_io import checkpoint_files, iter_file

# Tags are integers from 2^23 (exact in float32 up to 2^24), far from any value a real constant
# of the graph holds (RoPE tables, masks, shapes).
TAG_BASE = float(1 << 23)
TAG_LIMIT = 1 << 21


class _MetaFactories(TorchFunctionMode):
    """torch.empty / zeros / ones allocate on the meta device (no memory): the module's
    constructors then build parameters that hold shapes only."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func in (torch.empty, torch.zeros, torch.ones):
            kwargs["device"] = "meta"
        return func(*args, **kwargs)


@dataclass(frozen=True)
class Source:
    """Where an initializer's values come from: a checkpoint tensor and the transform torch's
    constant folding applied ('same', 'transpose' of a 2-D weight, 'unsqueeze0')."""

    name: str
    transform: str
    shape: Tuple[int, ...]


class TaggedModel:
    """The shape-only module and the tag -> checkpoint name table."""

    def __init__(self, model: CogVLM2, names: List[str], shapes: Dict[str, Tuple[int, ...]], columns: Dict[int, torch.Tensor],
                 storages: Optional[Dict[int, str]] = None):
        self.model = model
        self.storages = storages or {}  # half-precision modules: column storage address -> checkpoint name
        self.names = names  # tag index -> official checkpoint name
        self.shapes = shapes  # official checkpoint name -> shape
        self._columns = columns  # data_ptr of a tag parameter -> its [rows, 1, ...] column

    def _half_source(self, init_name: str, value: torch.Tensor) -> Optional[Source]:
        """Half-precision modules cannot hold the float32 tags: a parameter (or a view torch
        folded from it) is found by the address of its column's storage; the column's first row
        differs from the others, which tells a transposed square weight from the weight."""
        name = self.storages.get(value.storage().data_ptr())
        if name is None:
            return None
        return _orientation(name, self.shapes[name], value, float(value.reshape(-1)[0]), init_name)

    def _cast_half_source(self, init_name: str, value: torch.Tensor) -> Source:
        """A float32 copy torch folded from a half-precision tag (Cast to float, e.g. an RMSNorm
        weight): the tag's bit pattern names the parameter. Anything else cannot be written
        from the checkpoint, and torch's value would be a placeholder: an error."""
        half = next(iter(self.storages and [c.dtype for c in self._columns.values()]))
        one = 0x3F80 if half == torch.bfloat16 else 0x3C00
        first = float(value.reshape(-1)[0])
        bits = int(torch.tensor([first], dtype=torch.float32).to(half).view(torch.int16)[0])
        k2 = bits - one
        ok = k2 >= 0 and k2 % 2 == 0 and k2 // 2 < len(self.names)
        if ok:
            lo = float(torch.tensor([bits], dtype=torch.int16).view(half)[0])
            hi = float(torch.tensor([bits + 1], dtype=torch.int16).view(half)[0])
            ok = lo == first and float(value.min()) >= lo and float(value.max()) <= hi
        if not ok:
            raise ValueError(f"initializer {init_name}: a float32 constant torch computed from half-precision placeholders; "
                             "this graph cannot be exported with --compute fp16/bf16")
        name = self.names[k2 // 2]
        return _orientation(name, self.shapes[name], value, first, init_name)

    @contextlib.contextmanager
    def cheap_clones(self):
        """While tracing, torch.onnx clones every module parameter (torch.jit._trace
        ONNXTracedModule: `x.clone(memory_format=torch.preserve_format)` of each input), which
        turns a stride-0 tag into a full-size tensor: all the weights in float32 at once. Inside
        this context a clone of a tag parameter is a clone of its column, expanded again."""
        real = torch.Tensor.clone
        columns = self._columns

        def clone(t, *args, **kwargs):
            col = columns.get(t.data_ptr()) if t.dim() and 0 in t.stride() else None
            if col is not None and tuple(col.expand(t.shape).stride()) == tuple(t.stride()):
                return real(col).expand(t.shape)
            return real(t, *args, **kwargs)

        torch.Tensor.clone = clone
        try:
            yield
        finally:
            torch.Tensor.clone = real

    def source_of(self, init_name: str, value: torch.Tensor) -> Optional[Source]:
        """The checkpoint tensor behind a folded or plain parameter of the traced graph (None for
        a constant that does not come from a parameter, e.g. a RoPE table)."""
        if value.dtype in (torch.float16, torch.bfloat16) and value.numel():
            return self._half_source(init_name, value)
        if value.dtype != torch.float32 or value.numel() == 0:
            return None
        if self.storages:  # a half-precision module: a float32 initializer must be a cast of a tag
            return self._cast_half_source(init_name, value)
        first = float(value.reshape(-1)[0])
        k2 = int(first - TAG_BASE)
        if first != TAG_BASE + k2 or k2 % 2 or not 0 <= k2 // 2 < len(self.names):
            return None
        if float(value.min()) != first or float(value.max()) > first + 1:
            return None
        name = self.names[k2 // 2]
        want = self.shapes[name]
        got = tuple(value.shape)
        if len(want) == 2 and got == (want[1], want[0]) and got != want:
            return Source(name, "transpose", got)
        if len(want) == 2 and got == want and want[0] > 1 and want[1] > 1:
            # square or not, the tag grows along the parameter's first axis only
            return Source(name, "same" if float(value[1, 0]) == first + 1 else "transpose", got)
        if got == want:
            return Source(name, "same", got)
        if got == (1,) + want:
            return Source(name, "unsqueeze0", got)
        raise ValueError(f"initializer {init_name}: shape {got} is no known transform of {name} {want}")


@contextlib.contextmanager
def shape_only_matmuls(half: bool = False):
    """While tracing, the CPU kernels of the matrix products (mm, addmm, bmm) and softmax (with
    `half`: also convolution, layer norm, silu and gelu) return
    uninitialised tensors of the right shape and type instead of computing: the traced graph is
    the same (the tracer records the operator, not its values), and tracing the full-width vision
    tower (trillions of multiply-adds for one image) takes seconds. The traced values are then
    meaningless; nothing reads them (torch.onnx uses the outputs' shapes and types only, and
    every initializer is mapped back to a checkpoint tensor by its tag)."""
    import warnings

    def mm(a, b):
        return torch.empty((a.shape[0], b.shape[1]), dtype=a.dtype)

    def addmm(bias, a, b, *, beta=1, alpha=1):
        return torch.empty((a.shape[0], b.shape[1]), dtype=a.dtype)

    def bmm(a, b):
        return torch.empty((a.shape[0], a.shape[1], b.shape[2]), dtype=a.dtype)

    def softmax(x, dim, half_to_float):
        return torch.empty(x.shape, dtype=torch.float32 if half_to_float else x.dtype)

    def same_shape(x, *args, **kwargs):  # elementwise activations (torch 1.13 has no float16 CPU kernels for some)
        return torch.empty(x.shape, dtype=x.dtype)

    def layer_norm(x, normalized_shape, weight, bias, eps):
        stats = list(x.shape[:x.dim() - len(normalized_shape)]) + [1] * len(normalized_shape)
        return torch.empty(x.shape, dtype=x.dtype), torch.empty(stats, dtype=torch.float32), torch.empty(stats, dtype=torch.float32)

    def conv(x, w, bias, stride, padding, dilation, transposed, output_padding, groups):
        size = [x.shape[0], w.shape[0]]
        for i in range(2, x.dim()):
            k = dilation[i - 2] * (w.shape[i] - 1) + 1
            size.append((x.shape[i] + 2 * padding[i - 2] - k) // stride[i - 2] + 1)
        return torch.empty(size, dtype=x.dtype)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Overriding a previously registered kernel"
        lib = torch.library.Library("aten", "IMPL")
        lib.impl("mm", mm, "CPU")
        lib.impl("addmm", addmm, "CPU")
        lib.impl("bmm", bmm, "CPU")
        lib.impl("_softmax", softmax, "CPU")
        if half:  # ops torch 1.13 cannot run in float16 on a CPU (float32 graphs keep the real ones: same bytes as before)
            for op in ("silu", "gelu"):
                lib.impl(op, same_shape, "CPU")
            lib.impl("convolution", conv, "CPU")
            lib.impl("native_layer_norm", layer_norm, "CPU")
    try:
        yield
    finally:
        del lib  # unregisters the overrides: the real kernels are back
        import gc
        gc.collect()


def _read_inv_freq(hf_dir: str, names: List[str]) -> Tuple[Dict[str, torch.Tensor], List[str]]:
    """The rotary_emb.inv_freq buffers the checkpoint holds (they shape the RoPE table)."""
    where = checkpoint_files(hf_dir)
    by_file: Dict[str, List[str]] = {}
    for n in names:
        if n in where:
            by_file.setdefault(where[n], []).append(n)
    out: Dict[str, torch.Tensor] = {}
    for path, wanted in sorted(by_file.items()):
        for name, t in iter_file(path, wanted):
            out[name] = t.clone()
    return out, [n for n in names if n not in out]


def _orientation(name: str, want: Tuple[int, ...], value: torch.Tensor, first: float, init_name: str) -> "Source":
    got = tuple(value.shape)
    if len(want) == 2 and got == (want[1], want[0]) and got != want:
        return Source(name, "transpose", got)
    if len(want) == 2 and got == want and want[0] > 1 and want[1] > 1:
        return Source(name, "same" if float(value[1, 0]) != first else "transpose", got)
    if got == want:
        return Source(name, "same", got)
    if got == (1,) + want:
        return Source(name, "unsqueeze0", got)
    raise ValueError(f"initializer {init_name}: shape {got} is no known transform of {name} {want}")


def build_tagged_model_shapes(cfg: CogVLM2Config) -> Dict[str, Tuple[int, ...]]:
    """Official name -> shape of every tensor of a full checkpoint (parameters and inv_freq), from
    a module on the meta device (no memory)."""
    with _MetaFactories(), _skip_default_init():
        model = CogVLM2(cfg, True, True)
    return checkpoint_shapes(model)


def build_tagged_model(cfg: CogVLM2Config, hf_dir: str, with_vision: bool, with_language: bool,
                       query_chunk: int = 4096, compute: torch.dtype = torch.float32) -> Tuple[TaggedModel, List[str]]:
    """The module for the requested parts with tag parameters (a few bytes each), the checkpoint's
    inv_freq buffers (or the default, noted) and no RoPE table yet (call model.build_rope)."""
    with _MetaFactories(), _skip_default_init():
        model = CogVLM2(cfg, with_vision, with_language, query_chunk)
    names: List[str] = []
    shapes: Dict[str, Tuple[int, ...]] = {}
    columns: Dict[int, torch.Tensor] = {}
    storages: Dict[int, str] = {}
    with torch.no_grad():
        for qual, p in list(model.named_parameters()):
            owner = model.get_submodule(qual.rsplit(".", 1)[0]) if "." in qual else model
            leaf = qual.rsplit(".", 1)[-1]
            if len(names) >= TAG_LIMIT:
                raise ValueError("too many parameters to tag")
            # tag 2^23 + 2k on the first row, 2^23 + 2k + 1 on the others: a [rows, 1, ...] column
            # expanded to the full shape (rows x 4 bytes); the row pattern tells a transposed
            # square weight from the weight itself
            rows = int(p.shape[0]) if p.dim() else 1
            if compute == torch.float32:
                col = torch.full((rows,) + (1,) * max(p.dim() - 1, 0), TAG_BASE + 2 * len(names), dtype=torch.float32)
                col[1:] += 1
            else:  # half precision: identified by storage address (see TaggedModel._half_source)
                # distinct values per parameter all the same (torch deduplicates equal initializers):
                # bit patterns 1.0 + 2k (first row) and 1.0 + 2k + 1 (other rows), finite for k < 8192
                one = 0x3F80 if compute == torch.bfloat16 else 0x3C00
                if 2 * len(names) + 1 >= 0x4000:
                    raise ValueError("too many parameters to tag in half precision")
                bits = torch.full((rows,) + (1,) * max(p.dim() - 1, 0), one + 2 * len(names), dtype=torch.int16)
                bits[1:] += 1
                col = bits.view(compute)
                storages[col.storage().data_ptr()] = qual
            tag = col.expand(tuple(p.shape))
            columns[tag.data_ptr()] = col
            owner._parameters[leaf] = nn.Parameter(tag, requires_grad=False)
            names.append(qual)
            shapes[qual] = tuple(p.shape)
    notes: List[str] = []
    if with_language:
        inv_names = [f"model.layers.{i}.self_attn.rotary_emb.inv_freq" for i in range(cfg.num_hidden_layers)]
        found, absent = _read_inv_freq(hf_dir, inv_names)
        for i, layer in enumerate(model.model.layers):
            n = inv_names[i]
            layer.self_attn.rotary_emb.inv_freq = found[n] if n in found else default_inv_freq(cfg.head_dim).to(torch.bfloat16)
        if absent:
            notes.append(f"{len(absent)} rotary_emb.inv_freq buffers absent from the checkpoint: computed as 1/500000^(2i/d) and rounded to bf16")
    model.eval()
    return TaggedModel(model, names, shapes, columns, storages), notes


def check_checkpoint(tagged: TaggedModel, hf_dir: str, wanted) -> Tuple[Dict[str, str], List[str]]:
    """Checkpoint tensor name -> file for every parameter of the module, shapes checked against
    config.json from the file headers (no data read). Raises ConfigError naming missing tensors
    and shape mismatches, as hf_checkpoint.load_weights does; returns (where, notes)."""
    from hf_checkpoint import checked_tensor_shapes

    expected = {n: tagged.shapes[n] for n in tagged.names}
    where, shapes = checked_tensor_shapes(hf_dir, expected, wanted)
    notes: List[str] = []
    all_expected = set(checkpoint_shapes(tagged.model))
    unused = [n for n in where if n not in all_expected]
    if unused:
        notes.append(f"{len(unused)} checkpoint tensors not used: {', '.join(sorted(unused)[:5])}")
    return {n: shapes[n][1] for n in expected}, notes

