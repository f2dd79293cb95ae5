#!/usr/bin/python3
"""Writes the committed preprocessing test images (tests/fixtures/images/*) deterministically.

Run with Debian's Pillow: /usr/bin/python3 tools/goldens/make_images.py [OUT_DIR]
The committed files are the reference (JPEG encoders differ between libjpeg versions); this
script documents how they were made and can recreate them. Needs Pillow and numpy.
16-bit and low-bit-depth PNGs are written by a tiny PNG writer below, because Pillow 9.4 cannot
save 16-bit RGB.
"""
import io
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'fixtures', 'images')


def hash_noise(w, h, seed):
    """Deterministic pseudo-random uint8 noise from an integer hash (no RNG state)."""
    y, x = np.mgrid[0:h, 0:w].astype(np.uint64)
    v = (x * np.uint64(73856093)) ^ (y * np.uint64(19349663)) ^ np.uint64(seed * 83492791)
    v = (v * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
    v ^= v >> np.uint64(15)
    v = (v * np.uint64(2246822519)) & np.uint64(0xFFFFFFFF)
    v ^= v >> np.uint64(13)
    return (v & np.uint64(255)).astype(np.uint8)


def pattern(w, h, seed=0, noise_box=48):
    """An RGB test pattern: gradients, a checkerboard, hard black/white stripes (overshoot and
    clipping), fine diagonal stripes (aliasing when shrinking) and a small noise patch."""
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 255 // max(w - 1, 1)).astype(np.int64)
    g = (y * 255 // max(h - 1, 1)).astype(np.int64)
    b = np.where(((x // 9) + (y // 7)) % 2 == 0, 230, 25)
    # hard stripes in the left third: black/white columns of width 1..4
    stripes = np.where((x % 8) < ((y // 16) % 4 + 1), 255, 0)
    left = x < w // 3
    r = np.where(left, stripes, r)
    # fine diagonal stripes in the bottom third
    diag = np.where(((x + 2 * y) // 2) % 3 == 0, 250, 10)
    bottom = y >= (2 * h) // 3
    g = np.where(bottom, diag, g)
    img = np.stack([r, g, b], axis=-1).astype(np.uint8)
    nb = min(noise_box, w, h)
    if nb > 0:
        oy, ox = h // 2 - nb // 2, w // 2 - nb // 2
        for c in range(3):
            img[oy:oy + nb, ox:ox + nb, c] = hash_noise(nb, nb, seed * 3 + c)
    return img


def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_raw_png(path, w, h, color_type, bit_depth, rows, extra=b''):
    """Minimal PNG writer: rows are bytes per scanline (already packed), filter 0 on each;
    extra is inserted (as ready chunks) between IHDR and IDAT."""
    raw = b''.join(b'\x00' + r for r in rows)
    data = b'\x89PNG\r\n\x1a\n'
    data += png_chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, bit_depth, color_type, 0, 0, 0))
    data += extra
    data += png_chunk(b'IDAT', zlib.compress(raw, 9))
    data += png_chunk(b'IEND', b'')
    with open(path, 'wb') as f:
        f.write(data)


def strip_app14(jpeg):
    """Removes the Adobe APP14 segment from a JPEG (a CMYK JPEG without the Adobe marker)."""
    out = bytearray(jpeg[:2])
    i = 2
    while i < len(jpeg):
        assert jpeg[i] == 0xFF
        marker = jpeg[i + 1]
        if marker == 0xDA:  # start of scan: copy the rest verbatim
            out += jpeg[i:]
            break
        length = struct.unpack('>H', jpeg[i + 2:i + 4])[0]
        seg = jpeg[i:i + 2 + length]
        if not (marker == 0xEE and seg[4:9] == b'Adobe'):
            out += seg
        i += 2 + length
    return bytes(out)


def exif_orientation(value):
    """A minimal little-endian EXIF block with one Orientation tag."""
    ifd = struct.pack('<HHHIHH', 1, 0x0112, 3, 1, value, 0) + struct.pack('<I', 0)
    return b'Exif\x00\x00' + b'II*\x00' + struct.pack('<I', 8) + ifd


def s15(v):
    return struct.pack('>i', int(round(v * 65536)))


def linear_rgb_icc():
    """A minimal ICC v2 RGB display profile with sRGB primaries and linear (gamma 1.0) curves.
    Colour-managed decoders would brighten the image a lot; PIL ignores the profile."""
    def xyz(x, y, z):
        return b'XYZ ' + bytes(4) + s15(x) + s15(y) + s15(z)
    text = b'cogeval linear RGB test profile\x00'
    desc = b'desc' + bytes(4) + struct.pack('>I', len(text)) + text + bytes(4) + bytes(4) + bytes(2) + bytes(1) + bytes(67)
    curv = b'curv' + bytes(4) + struct.pack('>I', 1) + struct.pack('>H', 0x0100) + bytes(2)
    tags = [(b'desc', desc), (b'wtpt', xyz(0.9642, 1.0, 0.8249)),
            (b'rXYZ', xyz(0.4361, 0.2225, 0.0139)), (b'gXYZ', xyz(0.3851, 0.7169, 0.0971)),
            (b'bXYZ', xyz(0.1431, 0.0606, 0.7141)),
            (b'rTRC', curv), (b'gTRC', curv), (b'bTRC', curv),
            (b'cprt', b'text' + bytes(4) + b'public domain\x00')]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b'', b''
    for sig, data in tags:
        data += bytes((-len(data)) % 4)
        table += sig + struct.pack('>II', offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = struct.pack('>I', size) + bytes(4) + struct.pack('>I', 0x02100000) + b'mntr' + b'RGB ' + b'XYZ ' + bytes(12)
    header += b'acsp' + bytes(4) + bytes(4) + bytes(4) + bytes(4) + bytes(8) + struct.pack('>I', 0)
    header += s15(0.9642) + s15(1.0) + s15(0.8249) + bytes(4) + bytes(16) + bytes(28)
    assert len(header) == 128
    return header + struct.pack('>I', len(tags)) + table + body


def main():
    os.makedirs(OUT, exist_ok=True)

    def save(name, im, **kw):
        im.save(os.path.join(OUT, name), **kw)

    def fmt(name):
        return 'JPEG' if name.endswith('.jpg') else 'PNG'

    # upscaling, downscaling, mixed, odd sizes, very thin
    save('up_rgb_300x200.png', Image.fromarray(pattern(300, 200, 1)), optimize=True)
    save('down_rgb_2000x1500.png', Image.fromarray(pattern(2000, 1500, 2, noise_box=32)), optimize=True)
    save('mixed_rgb_4000x300.png', Image.fromarray(pattern(4000, 300, 3, noise_box=32)), optimize=True)
    save('odd_rgb_1343x7.png', Image.fromarray(pattern(1343, 7, 4)), optimize=True)
    save('odd_rgb_1345x1345.png', Image.fromarray(pattern(1345, 1345, 5, noise_box=24)), optimize=True)
    save('thin_rgb_1x900.png', Image.fromarray(pattern(1, 900, 6)), optimize=True)
    save('thin_rgb_900x1.png', Image.fromarray(pattern(900, 1, 7)), optimize=True)

    # RGBA: alpha varies, and fully transparent pixels keep distinct colours (PIL discards alpha)
    base = pattern(320, 240, 8)
    yy, xx = np.mgrid[0:240, 0:320]
    alpha = np.where(xx < 40, 0, (xx * 255 // 319)).astype(np.uint8)
    save('rgba_320x240.png', Image.fromarray(np.dstack([base, alpha]), 'RGBA'), optimize=True)

    # palette images (P), one with a tRNS chunk making several indices (partly) transparent
    pal = Image.fromarray(pattern(257, 131, 9)).quantize(colors=61, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    save('palette_p_257x131.png', pal, optimize=True)
    palt = Image.fromarray(pattern(200, 150, 10)).quantize(colors=200, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG)
    trns = bytes([0, 128, 255, 7] + [255] * 20 + [0])
    save('palette_trns_p_200x150.png', palt, transparency=trns)

    # grayscale L, LA, 1-bit, 4-bit
    gray = pattern(640, 480, 11)[:, :, 0] // 2 + pattern(640, 480, 11)[:, :, 1] // 2
    save('gray_l_640x480.png', Image.fromarray(gray, 'L'), optimize=True)
    ga = pattern(300, 300, 12)
    save('gray_la_300x300.png', Image.fromarray(np.dstack([ga[:, :, 0], ga[:, :, 2]]), 'LA'), optimize=True)
    save('bilevel_1_333x97.png', Image.fromarray(pattern(333, 97, 13)[:, :, 0]).convert('1'), optimize=True)
    g4 = (pattern(150, 100, 14)[:, :, 1] >> 4).astype(np.uint8)
    rows = [bytes(((g4[y, 2 * i] << 4) | (g4[y, 2 * i + 1] if 2 * i + 1 < 150 else 0)) for i in range(75)) for y in range(100)]
    write_raw_png(os.path.join(OUT, 'gray4_150x100.png'), 150, 100, 0, 4, rows)

    # 16-bit PNGs: RGB48, RGBA64 (written directly) and 16-bit gray (Pillow opens it as mode I)
    p16 = pattern(160, 90, 15).astype(np.uint16) * 256 + hash_noise(160, 90, 16)[:, :, None].astype(np.uint16)
    write_raw_png(os.path.join(OUT, 'rgb16_160x90.png'), 160, 90, 2, 16, [p16[y].astype('>u2').tobytes() for y in range(90)])
    a16 = (np.mgrid[0:96, 0:128][1] * 512).astype(np.uint16)
    rgba16 = np.dstack([pattern(128, 96, 17).astype(np.uint16) * 256 + 255, a16])
    write_raw_png(os.path.join(OUT, 'rgba16_128x96.png'), 128, 96, 6, 16, [rgba16[y].astype('>u2').tobytes() for y in range(96)])
    yy, xx = np.mgrid[0:192, 0:256]
    g16 = np.where(yy < 96, (xx + yy) % 300, xx * 256 + yy).astype(np.uint16)  # top half mostly < 256
    save('gray16_256x192.png', Image.fromarray(g16))  # mode I;16
    # 16-bit gray with a tRNS colour: PIL still opens it as mode I (values clipped to 255), while
    # decoders that honour tRNS add an alpha channel
    g16t = np.where(yy[:64, :96] < 32, (xx[:64, :96] * 5) % 400, xx[:64, :96] * 700).astype(np.uint16)
    write_raw_png(os.path.join(OUT, 'gray16_trns_96x64.png'), 96, 64, 0, 16, [g16t[y].astype('>u2').tobytes() for y in range(64)],
                  png_chunk(b'tRNS', struct.pack('>H', 300)))

    # JPEGs: baseline 4:2:0 odd size, 4:4:4, 4:2:2, progressive, grayscale, CMYK (Adobe and not), EXIF rotated
    def jpeg(name, arr, mode='RGB', **kw):
        save(name, Image.fromarray(arr, mode) if not isinstance(arr, Image.Image) else arr, format='JPEG', **kw)

    jpeg('jpeg420_333x251.jpg', pattern(333, 251, 18), quality=75, subsampling=2)
    jpeg('jpeg444_240x180.jpg', pattern(240, 180, 19), quality=90, subsampling=0)
    jpeg('jpeg422_321x239.jpg', pattern(321, 239, 20), quality=85, subsampling=1)
    jpeg('jpeg_progressive_400x300.jpg', pattern(400, 300, 21), quality=80, progressive=True, subsampling=2)
    jpeg('jpeg_gray_301x203.jpg', pattern(301, 203, 22)[:, :, 1], mode='L', quality=85)
    cmyk = Image.fromarray(pattern(160, 120, 23)).convert('CMYK')
    c = np.array(cmyk)
    c[:, :, 3] = hash_noise(160, 120, 24) // 3  # some black ink
    cmyk = Image.fromarray(c, 'CMYK')
    jpeg('cmyk_adobe_160x120.jpg', cmyk, quality=90)
    buf = io.BytesIO()
    cmyk.save(buf, format='JPEG', quality=90)
    with open(os.path.join(OUT, 'cmyk_noadobe_160x120.jpg'), 'wb') as f:
        f.write(strip_app14(buf.getvalue()))
    # libjpeg warns "Corrupt JPEG data: 3 extraneous bytes before marker 0xd9"; PIL decodes it anyway
    with open(os.path.join(OUT, 'jpeg420_333x251.jpg'), 'rb') as f:
        good = f.read()
    with open(os.path.join(OUT, 'jpeg_warning_333x251.jpg'), 'wb') as f:
        f.write(good[:-2] + b'\x12\x34\x56' + good[-2:])
    jpeg('exif_rotated_200x120.jpg', pattern(200, 120, 25), quality=90, exif=exif_orientation(6))

    # WebP: lossy, lossless, and lossless with alpha (transparent pixels keep their colours)
    save('webp_lossy_210x150.webp', Image.fromarray(pattern(210, 150, 28)), quality=80)
    save('webp_lossless_210x150.webp', Image.fromarray(pattern(210, 150, 29)), lossless=True)
    wa = pattern(160, 120, 30)
    wal = np.where(np.mgrid[0:120, 0:160][1] < 30, 0, 200).astype(np.uint8)
    save('webp_rgba_160x120.webp', Image.fromarray(np.dstack([wa, wal]), 'RGBA'), lossless=True, exact=True)

    # ICC-tagged images: PIL ignores the profile (no colour management in convert('RGB'))
    icc = linear_rgb_icc()
    save('icc_linear_240x180.png', Image.fromarray(pattern(240, 180, 26)), icc_profile=icc)
    jpeg('icc_linear_240x180.jpg', pattern(240, 180, 27), quality=90, icc_profile=icc)


if __name__ == '__main__':
    main()
