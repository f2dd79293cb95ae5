#!/usr/bin/python3
"""Computes the preprocessing goldens (tests/fixtures/images/goldens.json) with Pillow.

Usage: /usr/bin/python3 tools/goldens/pillow_goldens.py [--out FILE | --stdout] [--no-torch] [IMAGE_DIR]

Per committed test image it records what the CogVLM2 reference pipeline produces:
  rgb     sha256 of Image.open(f).convert('RGB').tobytes()  (HWC, 3 bytes per pixel)
  resized sha256 of rgb.resize((1344, 1344), Image.BICUBIC).tobytes()
          (what torchvision.transforms.Resize((1344, 1344), BICUBIC) does with a PIL image)
  tensor  sha256 of the float32 little-endian CHW tensor of ToTensor() + Normalize(CLIP mean/std),
          replicated in numpy float32 (torchvision is not packaged in Debian); when torch is
          importable the same tensor is also computed with torch ops exactly as torchvision does
          and must be identical
plus tiny resize cases (input and output bytes) and Pillow's fixed-point bicubic coefficients
for small sizes. The coefficients come from a transcription of Pillow's precompute_coeffs /
normalize_coeffs_8bpc (src/libImaging/Resample.c); the transcription is checked here against
Pillow itself by resampling random rows with it and comparing with Image.resize.
Needs Pillow and numpy. Deterministic: the same Pillow gives the same file.
"""
import base64
import hashlib
import json
import os
import random
import sys
import warnings

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DIR = os.path.join(HERE, '..', '..', 'tests', 'fixtures', 'images')
SIZE = 1344
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg', '.webp')
PRECISION_BITS = 32 - 8 - 2


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def clip_tensor_numpy(resized):
    """ToTensor + Normalize in numpy float32 (each op correctly rounded, as torch on CPU)."""
    x = np.asarray(resized, dtype=np.uint8).transpose(2, 0, 1).astype(np.float32)
    x = x / np.float32(255)
    mean = np.asarray(MEAN, dtype=np.float32).reshape(3, 1, 1)
    std = np.asarray(STD, dtype=np.float32).reshape(3, 1, 1)
    x = (x - mean) / std
    assert x.dtype == np.float32
    return np.ascontiguousarray(x)


def clip_tensor_torch(resized):
    """torchvision's ToTensor and Normalize (v0.15 code paths) written out with torch ops."""
    import torch
    img = torch.from_numpy(np.array(resized, np.uint8, copy=True))
    img = img.view(resized.size[1], resized.size[0], 3).permute((2, 0, 1)).contiguous()
    t = img.to(dtype=torch.get_default_dtype()).div(255)
    mean = torch.as_tensor(MEAN, dtype=t.dtype).view(-1, 1, 1)
    std = torch.as_tensor(STD, dtype=t.dtype).view(-1, 1, 1)
    t = t.sub_(mean).div_(std)
    return t.numpy()


def have_torch():
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        return False


def image_goldens(directory, use_torch):
    out = []
    for name in sorted(os.listdir(directory)):
        if not name.lower().endswith(IMAGE_SUFFIXES):
            continue
        with Image.open(os.path.join(directory, name)) as im, warnings.catch_warnings():
            # P with a tRNS byte string: PIL warns that transparency is dropped, which is the point
            warnings.simplefilter('ignore', UserWarning)
            mode, size, fmt = im.mode, im.size, im.format
            rgb = im.convert('RGB')
        resized = rgb.resize((SIZE, SIZE), Image.BICUBIC)
        t = clip_tensor_numpy(resized)
        if use_torch:
            tt = clip_tensor_torch(resized)
            if tt.tobytes() != t.tobytes():
                raise SystemExit(f'{name}: numpy and torch tensors differ; the numpy replication is wrong')
        out.append({
            'file': name,
            'format': fmt,
            'pilMode': mode,
            'width': size[0],
            'height': size[1],
            'rgbSha256': sha256(rgb.tobytes()),
            'resizedSha256': sha256(resized.tobytes()),
            'tensorSha256': sha256(t.astype('<f4').tobytes()),
            'tensorChannelSums': [float(t[c].sum(dtype=np.float64)) for c in range(3)],
        })
    return out


# ---- Pillow's coefficient computation, transcribed (C double arithmetic == Python float) ----

def bicubic_filter(x):
    a = -0.5
    if x < 0.0:
        x = -x
    if x < 1.0:
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1
    if x < 2.0:
        return (((x - 5) * x + 8) * x - 4) * a
    return 0.0


def c_int(v):
    """C's (int) cast of a double: truncation toward zero."""
    return int(v)


def pillow_coeffs(in_size, out_size):
    """(ksize, [(xmin, n)], [int coefficients, ksize per output]) as Pillow computes them."""
    scale = float(in_size) / out_size  # in1 - in0 is exact in float for these sizes
    filterscale = max(scale, 1.0)
    support = 2.0 * filterscale
    import math
    ksize = int(math.ceil(support)) * 2 + 1
    bounds, coeffs = [], []
    for xx in range(out_size):
        center = 0.0 + (xx + 0.5) * scale
        ss = 1.0 / filterscale
        xmin = max(c_int(center - support + 0.5), 0)
        xmax = min(c_int(center + support + 0.5), in_size) - xmin
        k = []
        ww = 0.0
        for x in range(xmax):
            w = bicubic_filter((x + xmin - center + 0.5) * ss)
            k.append(w)
            ww += w
        if ww != 0.0:
            k = [w / ww for w in k]
        k += [0.0] * (ksize - len(k))
        fixed = [c_int(-0.5 + w * (1 << PRECISION_BITS)) if w < 0 else c_int(0.5 + w * (1 << PRECISION_BITS)) for w in k]
        bounds.append((xmin, xmax))
        coeffs.extend(fixed)
    return ksize, bounds, coeffs


def resample_row(row, ksize, bounds, coeffs):
    """One horizontal pass of Pillow's 8bpc resampler over a 1-channel row."""
    out = []
    for xx, (xmin, n) in enumerate(bounds):
        ss = 1 << (PRECISION_BITS - 1)
        for x in range(n):
            ss += row[xmin + x] * coeffs[xx * ksize + x]
        out.append(min(max(ss >> PRECISION_BITS, 0), 255))
    return out


COEFF_CASES = [(4, 2), (2, 4), (5, 3), (3, 5), (1, 4), (4, 1), (7, 7), (3, 8), (10, 3), (9, 2)]


def coefficient_goldens():
    rng = random.Random(20240607)
    cases = []
    for in_size, out_size in COEFF_CASES:
        ksize, bounds, coeffs = pillow_coeffs(in_size, out_size)
        # Check the transcription against Pillow: a 1-row L image only gets the horizontal pass.
        for _ in range(40):
            row = [rng.choice((0, 255, rng.randrange(256))) for _ in range(in_size)]
            im = Image.frombytes('L', (in_size, 1), bytes(row))
            got = list(im.resize((out_size, 1), Image.BICUBIC).tobytes())
            want = resample_row(row, ksize, bounds, coeffs) if (in_size != out_size) else row
            if got != want:
                raise SystemExit(f'coefficient transcription disagrees with Pillow for {in_size}->{out_size}: {row} -> {got} vs {want}')
        cases.append({'inSize': in_size, 'outSize': out_size, 'ksize': ksize,
                      'bounds': [list(b) for b in bounds], 'coeffs': coeffs})
    return cases


def resize_cases():
    """Random small RGB images resized by Pillow, including extreme ratios and 1-pixel sides."""
    rng = random.Random(1344)
    shapes = []
    for _ in range(100):
        shapes.append((rng.randint(1, 12), rng.randint(1, 12), rng.randint(1, 12), rng.randint(1, 12)))
    shapes += [(1, 1, 9, 5), (9, 5, 1, 1), (40, 1, 3, 1), (3, 1, 40, 1), (1, 40, 1, 3), (1, 3, 1, 40),
               (2, 2, 17, 13), (64, 3, 5, 7), (5, 64, 7, 5), (13, 11, 13, 11), (13, 11, 13, 4), (13, 11, 2, 11)]
    cases = []
    for (w, h, ow, oh) in shapes:
        mode = rng.randrange(3)
        if mode == 0:
            data = bytes(rng.randrange(256) for _ in range(w * h * 3))
        elif mode == 1:  # black/white: maximal overshoot, exercises clipping
            data = bytes(rng.choice((0, 255)) for _ in range(w * h * 3))
        else:
            data = bytes(min(255, (x * 37 + c * 91) % 256) for x in range(w * h) for c in range(3))
        im = Image.frombytes('RGB', (w, h), data)
        out = im.resize((ow, oh), Image.BICUBIC).tobytes()
        cases.append({'w': w, 'h': h, 'outW': ow, 'outH': oh,
                      'input': base64.b64encode(data).decode('ascii'),
                      'output': base64.b64encode(out).decode('ascii')})
    return cases


def main():
    args = sys.argv[1:]
    out_file = None
    to_stdout = False
    use_torch = True
    directory = DEFAULT_DIR
    while args:
        a = args.pop(0)
        if a == '--out':
            out_file = args.pop(0)
        elif a == '--stdout':
            to_stdout = True
        elif a == '--no-torch':  # skip the (slow) torch cross-check of the numpy tensor
            use_torch = False
        else:
            directory = a
    use_torch = use_torch and have_torch()
    doc = {
        'generator': {
            'script': 'tools/goldens/pillow_goldens.py',
            'pillow': PIL.__version__,
            'numpy': np.__version__,
            'tensorCheckedWithTorch': use_torch,
            'resize': f'Image.resize(({SIZE}, {SIZE}), Image.BICUBIC)',
            'tensor': 'float32 CHW: x/255, then (x - mean)/std; sha256 of little-endian bytes',
        },
        'size': SIZE,
        'mean': list(MEAN),
        'std': list(STD),
        'images': image_goldens(directory, use_torch),
        'coefficientCases': coefficient_goldens(),
        'resizeCases': resize_cases(),
    }
    text = json.dumps(doc, indent=1) + '\n'
    if to_stdout:
        sys.stdout.write(text)
    else:
        path = out_file or os.path.join(directory, 'goldens.json')
        with open(path, 'w') as f:
            f.write(text)
        sys.stderr.write(f'wrote {path} ({len(doc["images"])} images)\n')


if __name__ == '__main__':
    main()
