"""CogVLM2 image preprocessing as the reference runs it, in numpy float32: PIL open +
convert('RGB'), resize((1344, 1344), BICUBIC) (torchvision hands PIL images to Pillow),
ToTensor (uint8 / 255) and Normalize with the OpenAI CLIP mean/std; plus the checksums the
goldens record."""

from __future__ import annotations

import hashlib
from typing import Dict

import numpy as np
from PIL import Image

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def load_rgb(path: str) -> Image.Image:
    with Image.open(path) as im:
        return im.convert("RGB")


def pixel_values(path: str, size: int = 1344) -> np.ndarray:
    """float32 [1, 3, size, size] (CHW), exactly as torchvision's
    Compose([Resize((size, size), BICUBIC), ToTensor(), Normalize(mean, std)]) on a PIL image."""
    img = load_rgb(path).resize((size, size), Image.BICUBIC)
    a = np.asarray(img, dtype=np.uint8).transpose(2, 0, 1).astype(np.float32)
    a = a / np.float32(255)
    mean = np.asarray(CLIP_MEAN, dtype=np.float32)[:, None, None]
    std = np.asarray(CLIP_STD, dtype=np.float32)[:, None, None]
    a = (a - mean) / std
    return np.ascontiguousarray(a[None], dtype=np.float32)


def checksum(x: np.ndarray) -> Dict[str, object]:
    """shape, sum and sum of squares of the float32 values accumulated in float64 (agree with any
    float64 summation order to ~1e-9 relative), and sha256 of the little-endian float32 bytes in
    C order (the exact check)."""
    flat = np.ascontiguousarray(x, dtype="<f4").ravel()
    f64 = flat.astype(np.float64)
    return {
        "shape": list(x.shape),
        "sum": float(f64.sum()),
        "sum_sq": float(np.dot(f64, f64)),
        "sha256": hashlib.sha256(flat.tobytes()).hexdigest(),
    }
