"""Reads and writes the safetensors format (single files and sharded checkpoints with
`model.safetensors.index.json`) without the `safetensors` package: an 8-byte little-endian
header length, a JSON header {name: {dtype, shape, data_offsets}}, then the raw tensor bytes."""

from __future__ import annotations

import json
import mmap
import os
import struct
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

import numpy as np
import torch

INDEX_NAME = "model.safetensors.index.json"
SINGLE_NAME = "model.safetensors"

# safetensors dtype tag -> (torch dtype, bytes per element)
_DTYPES: Dict[str, Tuple[torch.dtype, int]] = {
    "F64": (torch.float64, 8),
    "F32": (torch.float32, 4),
    "F16": (torch.float16, 2),
    "BF16": (torch.bfloat16, 2),
    "I64": (torch.int64, 8),
    "I32": (torch.int32, 4),
    "I16": (torch.int16, 2),
    "I8": (torch.int8, 1),
    "U8": (torch.uint8, 1),
    "BOOL": (torch.bool, 1),
}
_TAGS: Dict[torch.dtype, str] = {dt: tag for tag, (dt, _) in _DTYPES.items()}


class CheckpointError(Exception):
    """A checkpoint file or index that cannot be read; the message names the file and what to do."""


def _read_header(path: str) -> Tuple[dict, int]:
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise CheckpointError(f"{path}: not a safetensors file (shorter than 8 bytes); re-download it")
        (n,) = struct.unpack("<Q", head)
        if n > size - 8 or n > 100_000_000:
            raise CheckpointError(f"{path}: header length {n} does not fit the file ({size} bytes); the file is truncated or not safetensors")
        raw = f.read(n)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{path}: header is not valid JSON ({e}); the file is corrupt")
    if not isinstance(header, dict):
        raise CheckpointError(f"{path}: header is not a JSON object")
    return header, 8 + n


def list_tensors(path: str) -> Dict[str, Tuple[str, List[int]]]:
    """Name -> (dtype tag, shape) of every tensor in one safetensors file."""
    header, _ = _read_header(path)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        out[name] = (info["dtype"], list(info["shape"]))
    return out


def iter_file(path: str, names: Optional[Iterable[str]] = None) -> Iterator[Tuple[str, torch.Tensor]]:
    """(name, tensor) for the tensors of one safetensors file (all, or only `names`), one at a
    time, in their stored dtype: the file is memory-mapped and each tensor copied once, so a
    caller that consumes them one by one holds one tensor at a time."""
    header, data_start = _read_header(path)
    wanted = None if names is None else set(names)
    if wanted is not None:
        absent = wanted - set(header)
        if absent:
            raise CheckpointError(f"{path}: tensors not in this file: {', '.join(sorted(absent)[:5])}")
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size > 0 else None
        try:
            for name, info in header.items():
                if name == "__metadata__" or (wanted is not None and name not in wanted):
                    continue
                tag = info.get("dtype")
                if tag not in _DTYPES:
                    raise CheckpointError(f"{path}: tensor {name}: dtype {tag!r} is not supported (expected one of {', '.join(_DTYPES)})")
                dtype, width = _DTYPES[tag]
                shape = [int(s) for s in info["shape"]]
                begin, end = (int(x) for x in info["data_offsets"])
                count = int(np.prod(shape)) if shape else 1
                if end - begin != count * width or data_start + end > size:
                    raise CheckpointError(f"{path}: tensor {name}: data_offsets {begin}..{end} do not match shape {shape} x {width} bytes or run past the end of the file")
                if count == 0 or mm is None:
                    yield name, torch.empty(shape, dtype=dtype)
                    continue
                buf = bytearray(mm[data_start + begin:data_start + end])
                t = torch.frombuffer(buf, dtype=torch.int16).view(torch.bfloat16) if dtype == torch.bfloat16 else torch.frombuffer(buf, dtype=dtype)
                yield name, t.reshape(shape)
        finally:
            if mm is not None:
                mm.close()


def read_file(path: str, names: Optional[Iterable[str]] = None) -> Dict[str, torch.Tensor]:
    """Tensors of one safetensors file (all, or only `names`) as a dict."""
    return dict(iter_file(path, names))


def write_file(path: str, tensors: Dict[str, torch.Tensor], metadata: Optional[Dict[str, str]] = None) -> None:
    """Writes `tensors` (name -> tensor, any supported dtype) as one safetensors file."""
    header: Dict[str, object] = {"__metadata__": dict(metadata or {"format": "pt"})}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        if t.dtype not in _TAGS:
            raise ValueError(f"tensor {name}: dtype {t.dtype} cannot be written to safetensors")
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": _TAGS[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for raw in blobs:
            f.write(raw)
    os.replace(tmp, path)


def write_checkpoint(directory: str, tensors: Dict[str, torch.Tensor], shards: int = 1) -> List[str]:
    """Writes a Hugging Face checkpoint: `model.safetensors`, or with shards > 1 the files
    `model-0000k-of-0000n.safetensors` plus `model.safetensors.index.json`. Returns the file names."""
    os.makedirs(directory, exist_ok=True)
    names = sorted(tensors)
    if shards <= 1:
        write_file(os.path.join(directory, SINGLE_NAME), tensors)
        return [SINGLE_NAME]
    groups: List[List[str]] = [[] for _ in range(shards)]
    for i, name in enumerate(names):
        groups[i * shards // len(names)].append(name)
    weight_map: Dict[str, str] = {}
    files = []
    total = 0
    for k, group in enumerate(groups):
        fname = f"model-{k + 1:05d}-of-{shards:05d}.safetensors"
        write_file(os.path.join(directory, fname), {n: tensors[n] for n in group})
        files.append(fname)
        for n in group:
            weight_map[n] = fname
            total += tensors[n].numel() * tensors[n].element_size()
    with open(os.path.join(directory, INDEX_NAME), "w", encoding="utf-8") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)
        f.write("\n")
    return files + [INDEX_NAME]


def checkpoint_files(directory: str) -> Dict[str, str]:
    """Tensor name -> file path for a checkpoint directory (sharded via the index, or a single
    model.safetensors). Raises CheckpointError naming what is missing."""
    index_path = os.path.join(directory, INDEX_NAME)
    if os.path.exists(index_path):
        try:
            with open(index_path, encoding="utf-8") as f:
                index = json.load(f)
        except json.JSONDecodeError as e:
            raise CheckpointError(f"{index_path}: not valid JSON ({e})")
        wm = index.get("weight_map") if isinstance(index, dict) else None
        if not isinstance(wm, dict) or not wm:
            raise CheckpointError(f"{index_path}: field weight_map is missing or empty")
        out = {}
        for name, fname in wm.items():
            p = os.path.join(directory, fname)
            if not os.path.exists(p):
                raise CheckpointError(f"{index_path}: tensor {name} is mapped to {fname}, which is not in {directory}; download the missing shard")
            out[name] = p
        return out
    single = os.path.join(directory, SINGLE_NAME)
    if os.path.exists(single):
        return {name: single for name in list_tensors(single)}
    raise CheckpointError(f"{directory}: neither {INDEX_NAME} nor {SINGLE_NAME} found; point --hf-dir at the Hugging Face model directory")


def read_checkpoint(directory: str, select=None) -> Dict[str, torch.Tensor]:
    """All tensors of a checkpoint directory whose names pass `select` (a predicate; None = all),
    in their stored dtypes."""
    where = checkpoint_files(directory)
    by_file: Dict[str, List[str]] = {}
    for name, path in where.items():
        if select is None or select(name):
            by_file.setdefault(path, []).append(name)
    out: Dict[str, torch.Tensor] = {}
    for path, names in sorted(by_file.items()):
        out.update(read_file(path, names))
    return out


# safetensors dtype tag -> numpy dtype of the stored bytes (bfloat16 as its uint16 bit patterns)
_NUMPY: Dict[str, str] = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1"}


def memmap_tensor(path: str, name: str) -> Tuple[np.ndarray, str]:
    """One tensor of a safetensors file as a read-only memory map (no data read until used) and
    its dtype tag; bfloat16 comes as uint16 bit patterns."""
    header, data_start = _read_header(path)
    info = header.get(name)
    if not isinstance(info, dict):
        raise CheckpointError(f"{path}: tensor {name} is not in this file")
    tag = info.get("dtype")
    if tag not in _NUMPY:
        raise CheckpointError(f"{path}: tensor {name}: dtype {tag!r} is not supported (expected one of {', '.join(_NUMPY)})")
    shape = tuple(int(s) for s in info["shape"])
    begin, end = (int(x) for x in info["data_offsets"])
    width = np.dtype(_NUMPY[tag]).itemsize
    count = int(np.prod(shape)) if shape else 1
    if end - begin != count * width or data_start + end > os.path.getsize(path):
        raise CheckpointError(f"{path}: tensor {name}: data_offsets {begin}..{end} do not match shape {list(shape)} x {width} bytes or run past the end of the file")
    if count == 0:
        return np.zeros(shape, dtype=_NUMPY[tag]), tag
    return np.memmap(path, dtype=_NUMPY[tag], mode="r", offset=data_start + begin, shape=shape), tag
