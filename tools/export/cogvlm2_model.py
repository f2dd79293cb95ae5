"""CogVLM2 (THUDM/cogvlm2-llama3-chat-19B) in plain PyTorch, with the official tensor names:
the EVA2-CLIP-E vision tower (post-LN blocks), the 2x2 conv + GLU adapter with boi/eoi, the
visual-expert Llama-3 decoder with GQA, expert routing, position ids and the RoPE table built
the way the Hugging Face remote code builds it (docs/cogvlm2.md sections 1-3). Used by the ONNX
exporter, the tiny reference model's goldens and the GPU benchmark."""

from __future__ import annotations

import math
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from cogvlm2_config import (  # noqa: F401  (re-exported: the model's public names)
    BOS_ID, EOS_IDS, PAD_ID, LANGUAGE_TOKEN_TYPE, VISION_TOKEN_TYPE, ROPE_BASE, ConfigError, VisionConfig, CogVLM2Config, tiny_config,
)

KV = Tuple[torch.Tensor, torch.Tensor]


# ---------------------------------------------------------------------------------------------
# Helpers shared by the reference forward and the exported graphs


def has_sdpa() -> bool:
    return hasattr(F, "scaled_dot_product_attention")


def _use_sdpa() -> bool:
    return has_sdpa() and not torch.onnx.is_in_onnx_export()


_GQA: List[bool] = []


def _sdpa_gqa() -> bool:
    """Whether scaled_dot_product_attention takes enable_gqa (torch >= 2.5): KV heads are then
    not copied per query head."""
    if not _GQA:
        ok = False
        if has_sdpa():
            try:
                q = torch.zeros(1, 2, 1, 2)
                kv = torch.zeros(1, 1, 1, 2)
                F.scaled_dot_product_attention(q, kv, kv, enable_gqa=True)
                ok = True
            except (TypeError, RuntimeError):
                ok = False
        _GQA.append(ok)
    return _GQA[0]


def get_expert_mask(token_type_ids: torch.Tensor) -> torch.Tensor:
    """Vision-expert mask: type[i] == 1 and type[i+1] == 1 (so EOI and the last position take
    the language expert), as `get_expert_mask` in modeling_cogvlm.py."""
    mask = torch.zeros_like(token_type_ids, dtype=torch.bool)
    mask[:, :-1] = (token_type_ids[:, :-1] == VISION_TOKEN_TYPE) & (token_type_ids[:, 1:] == VISION_TOKEN_TYPE)
    return mask


def build_position_ids(token_type_ids: torch.Tensor, attention_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Position ids as `build_position_ids` in modeling_cogvlm.py: boi/eoi count as language
    tokens, the interior vision run shares one position (BOS 0, BOI 1, patches 2, EOI 3, text 4...)."""
    tmp = token_type_ids.clone()
    if attention_mask is not None:
        tmp[~(attention_mask.bool())] = -1
    is_boi_eoi = torch.zeros_like(token_type_ids, dtype=torch.bool)
    is_boi_eoi[:, 1:] |= (tmp[:, 1:] == VISION_TOKEN_TYPE) & (tmp[:, :-1] == LANGUAGE_TOKEN_TYPE)
    is_boi_eoi[:, 0] |= tmp[:, 0] == VISION_TOKEN_TYPE
    is_boi_eoi[:, :-1] |= (tmp[:, :-1] == VISION_TOKEN_TYPE) & (tmp[:, 1:] == LANGUAGE_TOKEN_TYPE)
    is_boi_eoi[:, -1] |= tmp[:, -1] == VISION_TOKEN_TYPE
    tmp[is_boi_eoi] = LANGUAGE_TOKEN_TYPE
    y = torch.zeros_like(token_type_ids, dtype=torch.long)
    y[:, 1:] = (tmp[:, 1:] == LANGUAGE_TOKEN_TYPE) | ((tmp[:, 1:] == VISION_TOKEN_TYPE) & (tmp[:, :-1] == LANGUAGE_TOKEN_TYPE))
    return y.cumsum(dim=-1)


def build_prompt(text_ids: Sequence[int], image_tokens: Optional[int]) -> Tuple[List[int], List[int]]:
    """Input ids and token types of one prompt: [BOS] + [PAD] x image_tokens + text (image), or
    [BOS] + text (text only), as `build_conversation_input_ids`."""
    ids = [BOS_ID]
    types = [LANGUAGE_TOKEN_TYPE]
    if image_tokens:
        ids += [PAD_ID] * image_tokens
        types += [VISION_TOKEN_TYPE] * image_tokens
    ids += list(text_ids)
    types += [LANGUAGE_TOKEN_TYPE] * len(text_ids)
    return ids, types


def chat_prompt(question: str, template: str = "chat") -> str:
    """`_history_to_prompt` without history."""
    if template == "base":
        return question
    fmt = {"chat": "Answer:", "vqa": "Short answer:"}.get(template)
    if fmt is None:
        raise ValueError(f"unknown template_version {template!r} (base, chat or vqa)")
    return f"Question: {question} {fmt}"


def _to_bf16(x: torch.Tensor) -> torch.Tensor:
    """Round to the nearest bfloat16 (ties to even), kept as float32."""
    return x.float().to(torch.bfloat16).float()


def rope_table(inv_freq: torch.Tensor, n_positions: int, mode: str) -> Tuple[torch.Tensor, torch.Tensor]:
    """cos/sin tables [n_positions, head_dim/2] as float32.

    mode 'bf16': what FastRotaryEmbedding(pos_idx_in_fp32=False) computes on a CUDA GPU in a
    bf16-loaded model, emulated step by step: positions `arange(n, dtype=bf16)` (CUDA computes
    each value in float32 and rounds once, so 257 -> 256; torch's CPU arange in bf16 differs
    from 4097 on and is deliberately not used), the checkpoint's bf16 inv_freq, their product
    rounded to bf16 (exact in float32, one rounding, as CUDA's bf16 multiply), cos/sin of that
    evaluated in float32 (here: float64 rounded to float32) and rounded to bf16.
    mode 'fp32': the same code in an fp32-loaded model (fp32 positions and product, inv_freq
    upcast from the checkpoint)."""
    if mode == "bf16":
        inv = _to_bf16(inv_freq.detach().cpu())
        t = _to_bf16(torch.arange(n_positions, dtype=torch.float32))
        freqs = _to_bf16(t[:, None] * inv[None, :]).double()
        return _to_bf16(torch.cos(freqs).float()), _to_bf16(torch.sin(freqs).float())
    if mode == "fp32":
        inv = inv_freq.detach().float().cpu()
        t = torch.arange(n_positions, dtype=torch.float32)
        freqs = (t[:, None] * inv[None, :]).double()
        return torch.cos(freqs).float(), torch.sin(freqs).float()
    raise ValueError(f"unknown rope mode {mode!r} (bf16 or fp32)")


def default_inv_freq(head_dim: int) -> torch.Tensor:
    """`FastRotaryEmbedding._compute_inv_freq` with base 500000 (float32)."""
    return 1.0 / (ROPE_BASE ** (torch.arange(0, head_dim, 2) / head_dim))


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate-half (NeoX) rotation: o0 = x0 cos - x1 sin, o1 = x0 sin + x1 cos, computed in
    float32 and cast back (x: [B, heads, T, D], cos/sin: [B, 1, T, D/2])."""
    half = x.shape[-1] // 2
    xf = x.float()
    x0, x1 = xf[..., :half], xf[..., half:]
    c, s = cos.float(), sin.float()
    return torch.cat((x0 * c - x1 * s, x0 * s + x1 * c), dim=-1).to(x.dtype)


def route(x: torch.Tensor, vision_mask: torch.Tensor, vision_fn, language_fn, out_features: int, any_vision: bool = True) -> torch.Tensor:
    """Applies vision_fn to the rows where vision_mask is true and language_fn to the others
    (gather, compute, scatter back), like the index_put routing in modeling_cogvlm.py.
    any_vision=False (the caller knows the mask is all false, e.g. decode steps) skips the
    gather/scatter; the result is the same."""
    if not any_vision:
        return language_fn(x)
    b, t = x.shape[0], x.shape[1]
    flat = x.reshape(-1, x.shape[-1])
    m = vision_mask.reshape(-1)
    vi = torch.nonzero(m).reshape(-1)
    li = torch.nonzero(~m).reshape(-1)
    yv = vision_fn(flat.index_select(0, vi))
    yl = language_fn(flat.index_select(0, li))
    out = torch.zeros((flat.shape[0], out_features), dtype=yl.dtype, device=x.device)
    out = out.scatter(0, vi.unsqueeze(1).expand(-1, out_features), yv)
    out = out.scatter(0, li.unsqueeze(1).expand(-1, out_features), yl)
    return out.reshape(b, t, out_features)


# ---------------------------------------------------------------------------------------------
# Vision tower: EVA2-CLIP-E + 2x2 conv + GLU (visual.py)


class PatchEmbedding(nn.Module):
    def __init__(self, v: VisionConfig):
        super().__init__()
        self.proj = nn.Conv2d(v.in_channels, v.hidden_size, kernel_size=v.patch_size, stride=v.patch_size)
        self.cls_embedding = nn.Parameter(torch.zeros(1, v.hidden_size))
        self.position_embedding = nn.Embedding(v.num_positions, v.hidden_size)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = self.proj(images).flatten(2).transpose(1, 2)
        cls = self.cls_embedding.unsqueeze(0).expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1)
        return x + self.position_embedding.weight.unsqueeze(0)


class VisionAttention(nn.Module):
    def __init__(self, v: VisionConfig, query_chunk: int):
        super().__init__()
        self.num_heads = v.num_heads
        self.head_dim = v.hidden_size // v.num_heads
        self.scale = self.head_dim ** -0.5
        self.query_key_value = nn.Linear(v.hidden_size, v.hidden_size * 3)
        self.dense = nn.Linear(v.hidden_size, v.hidden_size)
        self.query_chunk = query_chunk

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, _ = x.shape
        # fused QKV ordered [3, heads, head_dim]: all q heads, then all k, then all v
        qkv = self.query_key_value(x).reshape(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # [B, heads, N, D]
        if _use_sdpa():
            out = F.scaled_dot_product_attention(q, k, v)
        else:
            # unmasked attention in query chunks (same result per row, bounded memory)
            kt = k.transpose(-1, -2)
            parts = []
            for start in range(0, n, self.query_chunk):
                qc = q[:, :, start:start + self.query_chunk]
                w = torch.softmax(torch.matmul(qc * self.scale, kt).float(), dim=-1).to(v.dtype)
                parts.append(torch.matmul(w, v))
            out = torch.cat(parts, dim=2) if len(parts) > 1 else parts[0]
        return self.dense(out.transpose(1, 2).reshape(b, n, -1))


class VisionMLP(nn.Module):
    def __init__(self, v: VisionConfig):
        super().__init__()
        self.fc1 = nn.Linear(v.hidden_size, v.intermediate_size)
        self.fc2 = nn.Linear(v.intermediate_size, v.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x)))  # exact (erf) GELU


class VisionLayer(nn.Module):
    """EVA2-CLIP-E block with LayerNorm on the branch outputs: h = x + LN1(Attn(x)); h + LN2(MLP(h))."""

    def __init__(self, v: VisionConfig, query_chunk: int):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(v.hidden_size, eps=v.layer_norm_eps)
        self.attention = VisionAttention(v, query_chunk)
        self.mlp = VisionMLP(v)
        self.post_attention_layernorm = nn.LayerNorm(v.hidden_size, eps=v.layer_norm_eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.input_layernorm(self.attention(x))
        return x + self.post_attention_layernorm(self.mlp(x))


class VisionTransformer(nn.Module):
    def __init__(self, v: VisionConfig, query_chunk: int):
        super().__init__()
        self.layers = nn.ModuleList([VisionLayer(v, query_chunk) for _ in range(v.num_hidden_layers)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return x


class GLU(nn.Module):
    def __init__(self, cfg: CogVLM2Config):
        super().__init__()
        h = cfg.hidden_size
        self.linear_proj = nn.Linear(cfg.vision_config.hidden_size, h, bias=False)
        self.norm1 = nn.LayerNorm(h)  # default eps 1e-5
        self.dense_h_to_4h = nn.Linear(h, cfg.intermediate_size, bias=False)
        self.gate_proj = nn.Linear(h, cfg.intermediate_size, bias=False)
        self.dense_4h_to_h = nn.Linear(cfg.intermediate_size, h, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.gelu(self.norm1(self.linear_proj(x)))
        return self.dense_4h_to_h(F.silu(self.gate_proj(x)) * self.dense_h_to_4h(x))


class EVA2CLIPModel(nn.Module):
    """pixels [B, 3, 1344, 1344] -> image embeddings [B, 2306, hidden] (boi, 48x48 row-major, eoi)."""

    def __init__(self, cfg: CogVLM2Config, query_chunk: int = 4096):
        super().__init__()
        v = cfg.vision_config
        self.patch_embedding = PatchEmbedding(v)
        self.transformer = VisionTransformer(v, query_chunk)
        self.linear_proj = GLU(cfg)
        self.conv = nn.Conv2d(v.hidden_size, v.hidden_size, kernel_size=2, stride=2)
        self.boi = nn.Parameter(torch.zeros(1, 1, cfg.hidden_size))
        self.eoi = nn.Parameter(torch.zeros(1, 1, cfg.hidden_size))
        self.grid = cfg.grid_size

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = self.transformer(self.patch_embedding(images))[:, 1:]  # drop CLS
        b, _, h = x.shape
        x = x.reshape(b, self.grid, self.grid, h).permute(0, 3, 1, 2)
        x = self.conv(x).flatten(2).transpose(1, 2)
        x = self.linear_proj(x)
        return torch.cat((self.boi.expand(b, -1, -1), x, self.eoi.expand(b, -1, -1)), dim=1)


# ---------------------------------------------------------------------------------------------
# Language side: visual-expert Llama-3 decoder (modeling_cogvlm.py)


class RMSNorm(nn.Module):
    def __init__(self, hidden_size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dtype = x.dtype
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.variance_epsilon)
        return (self.weight * xf).to(dtype)  # weight applied in fp32, before the cast


class MLP(nn.Module):
    def __init__(self, cfg: CogVLM2Config):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class VisionExpertMLP(nn.Module):
    def __init__(self, cfg: CogVLM2Config):
        super().__init__()
        self.language_mlp = MLP(cfg)
        self.vision_mlp = MLP(cfg)
        self.hidden_size = cfg.hidden_size

    def forward(self, x: torch.Tensor, vision_mask: torch.Tensor, any_vision: bool = True) -> torch.Tensor:
        return route(x, vision_mask, self.vision_mlp, self.language_mlp, self.hidden_size, any_vision)


class RotaryEmbedding(nn.Module):
    """Holds the checkpoint's `inv_freq` (persistent buffer `self_attn.rotary_emb.inv_freq`)."""

    def __init__(self, head_dim: int):
        super().__init__()
        self.register_buffer("inv_freq", default_inv_freq(head_dim), persistent=True)


def _expand_kv(x: torch.Tensor, rep: int) -> torch.Tensor:
    """[B, KV, S, D] -> [B, KV * rep, S, D]: KV head j repeated for query heads rep*j .. rep*j+rep-1."""
    b, kv, s, d = x.shape
    return x.unsqueeze(2).expand(b, kv, rep, s, d).reshape(b, kv * rep, s, d)


class VisionExpertAttention(nn.Module):
    def __init__(self, cfg: CogVLM2Config):
        super().__init__()
        self.num_heads = cfg.num_attention_heads
        self.num_kv = cfg.num_multi_query_heads
        self.head_dim = cfg.head_dim
        self.hidden_size = cfg.hidden_size
        self.qkv_size = cfg.hidden_size + 2 * self.head_dim * self.num_kv
        self.rotary_emb = RotaryEmbedding(self.head_dim)
        self.vision_expert_query_key_value = nn.Linear(cfg.hidden_size, self.qkv_size, bias=True)
        self.vision_expert_dense = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)
        self.language_expert_query_key_value = nn.Linear(cfg.hidden_size, self.qkv_size, bias=False)
        self.language_expert_dense = nn.Linear(cfg.hidden_size, cfg.hidden_size, bias=False)

    def forward(self, x: torch.Tensor, vision_mask: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                allowed: Optional[torch.Tensor], past: Optional[KV], causal_no_past: bool, any_vision: bool = True) -> Tuple[torch.Tensor, KV]:
        b, t, _ = x.shape
        mixed = route(x, vision_mask, self.vision_expert_query_key_value, self.language_expert_query_key_value, self.qkv_size, any_vision)
        hq, hk = self.num_heads * self.head_dim, self.num_kv * self.head_dim
        q = mixed[..., :hq].reshape(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        k = mixed[..., hq:hq + hk].reshape(b, t, self.num_kv, self.head_dim).transpose(1, 2)
        v = mixed[..., hq + hk:].reshape(b, t, self.num_kv, self.head_dim).transpose(1, 2)
        q = apply_rope(q, cos, sin)
        k = apply_rope(k, cos, sin)
        if past is not None:
            k = torch.cat((past[0], k), dim=2)
            v = torch.cat((past[1], v), dim=2)
        present = (k, v)
        rep = self.num_heads // self.num_kv  # KV head j serves query heads rep*j .. rep*j+rep-1
        if _use_sdpa() and allowed is None:
            if _sdpa_gqa():
                ctx = F.scaled_dot_product_attention(q, k, v, is_causal=causal_no_past, enable_gqa=True)
            else:
                ctx = F.scaled_dot_product_attention(q, _expand_kv(k, rep), _expand_kv(v, rep), is_causal=causal_no_past)
        else:
            scores = torch.matmul(q / math.sqrt(self.head_dim), _expand_kv(k, rep).transpose(-1, -2))
            if allowed is not None:
                scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
            w = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
            ctx = torch.matmul(w, _expand_kv(v, rep))
        ctx = ctx.transpose(1, 2).reshape(b, t, self.hidden_size)
        out = route(ctx, vision_mask, self.vision_expert_dense, self.language_expert_dense, self.hidden_size, any_vision)
        return out, present


class CogVLMDecoderLayer(nn.Module):
    def __init__(self, cfg: CogVLM2Config):
        super().__init__()
        self.self_attn = VisionExpertAttention(cfg)
        self.mlp = VisionExpertMLP(cfg)
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)

    def forward(self, x, vision_mask, cos, sin, allowed, past, causal_no_past, any_vision=True):
        h, present = self.self_attn(self.input_layernorm(x), vision_mask, cos, sin, allowed, past, causal_no_past, any_vision)
        x = x + h
        x = x + self.mlp(self.post_attention_layernorm(x), vision_mask, any_vision)
        return x, present


class CogVLMModel(nn.Module):
    """`model.*` of the checkpoint: embed_tokens, layers, norm, vision."""

    def __init__(self, cfg: CogVLM2Config, with_vision: bool = True, with_language: bool = True, query_chunk: int = 4096):
        super().__init__()
        if with_language:
            self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
            self.layers = nn.ModuleList([CogVLMDecoderLayer(cfg) for _ in range(cfg.num_hidden_layers)])
            self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        if with_vision:
            self.vision = EVA2CLIPModel(cfg, query_chunk)


class CogVLM2(nn.Module):
    """CogVLMForCausalLM: `model` + `lm_head`, plus the RoPE tables (not in the checkpoint;
    built from each layer's inv_freq by `build_rope`)."""

    def __init__(self, cfg: CogVLM2Config, with_vision: bool = True, with_language: bool = True, query_chunk: int = 4096):
        super().__init__()
        self.config = cfg
        self.model = CogVLMModel(cfg, with_vision, with_language, query_chunk)
        self.with_language = with_language
        if with_language:
            self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
            self.rope_index: List[int] = [0] * cfg.num_hidden_layers
            self.rope_tables = 0
        self.rope_mode = "unset"

    # -- RoPE ----------------------------------------------------------------------------------

    def build_rope(self, mode: str = "bf16") -> None:
        """Builds the cos/sin tables from every layer's inv_freq; layers with identical inv_freq
        (all of them, in the official checkpoint) share one table."""
        if not self.with_language:
            return
        cfg = self.config
        tables: List[Tuple[torch.Tensor, torch.Tensor]] = []
        keys: List[torch.Tensor] = []
        for i, layer in enumerate(self.model.layers):
            inv = layer.self_attn.rotary_emb.inv_freq
            found = next((j for j, kk in enumerate(keys) if torch.equal(kk, inv.cpu())), None)
            if found is None:
                keys.append(inv.cpu().clone())
                tables.append(rope_table(inv, cfg.max_position_embeddings, mode))
                found = len(tables) - 1
            self.rope_index[i] = found
        # buffers rope_cos_K / rope_sin_K [max_position_embeddings, head_dim/2], float32 in every
        # model dtype (bf16-mode values are bf16-representable; apply_rope computes in float32)
        dev = self.lm_head.weight.device
        for k, (c, s) in enumerate(tables):
            self.register_buffer(f"rope_cos_{k}", c.to(device=dev), persistent=False)
            self.register_buffer(f"rope_sin_{k}", s.to(device=dev), persistent=False)
        self.rope_tables = len(tables)
        self.rope_mode = mode

    # -- language forward ----------------------------------------------------------------------

    def embed(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.model.embed_tokens(input_ids)

    def decode(self, inputs_embeds: torch.Tensor, vision_mask: torch.Tensor, position_ids: torch.Tensor,
               attention_mask: Optional[torch.Tensor] = None, past: Optional[List[KV]] = None,
               last_logits_only: bool = False) -> Tuple[torch.Tensor, List[KV]]:
        """Decoder over `inputs_embeds` [B, T, H] after `past` (per layer (k, v) [B, KV, P, D]);
        causal over past + current. Returns float32 logits [B, T or 1, V] and present (k, v)."""
        if self.rope_mode == "unset":
            raise RuntimeError("call build_rope('bf16' or 'fp32') after loading the weights")
        b, t, _ = inputs_embeds.shape
        p = 0 if past is None else past[0][0].shape[2]
        s = p + t
        dev = inputs_embeds.device
        tracing = torch.onnx.is_in_onnx_export()
        all_ones = not tracing and (attention_mask is None or bool(attention_mask.bool().all()))
        if attention_mask is None:
            attention_mask = torch.ones((b, s), dtype=torch.long, device=dev)
        # the exported graph always routes; eager runs skip the gather/scatter when no row is vision
        any_vision = True if tracing else bool(vision_mask.any())
        # plain causal (no past, no padding) lets SDPA use is_causal, as HF does; one new token
        # over an unpadded cache needs no mask
        if all_ones and _use_sdpa() and (past is None or t == 1):
            allowed = None
        else:
            kpos = torch.arange(s, device=dev).unsqueeze(0)
            qpos = (torch.arange(t, device=dev) + (s - t)).unsqueeze(1)
            allowed = (kpos <= qpos).unsqueeze(0).unsqueeze(0) & attention_mask.bool()[:, None, None, :]
        causal_no_past = t > 1
        # rows of each RoPE table looked up by position id, once per distinct table: [B, 1, T, D/2]
        rows = [(F.embedding(position_ids, getattr(self, f"rope_cos_{k}")).unsqueeze(1),
                 F.embedding(position_ids, getattr(self, f"rope_sin_{k}")).unsqueeze(1)) for k in range(self.rope_tables)]
        presents: List[KV] = []
        x = inputs_embeds
        for i, layer in enumerate(self.model.layers):
            cos, sin = rows[self.rope_index[i]]
            x, present = layer(x, vision_mask, cos, sin, allowed, None if past is None else past[i], causal_no_past, any_vision)
            presents.append(present)
        x = self.model.norm(x)
        if last_logits_only:
            x = x[:, -1:]
        return self.lm_head(x).float(), presents

    # -- HF-style conveniences for the goldens and benchmarks ----------------------------------

    def prefill_embeds(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, pixel_values: Optional[torch.Tensor]) -> torch.Tensor:
        emb = self.embed(input_ids)
        is_vision = token_type_ids == VISION_TOKEN_TYPE
        if bool(is_vision.any()):
            if pixel_values is None:
                raise ValueError("the prompt has image slots but no pixel_values were given")
            feats = self.model.vision(pixel_values.to(emb.dtype)).reshape(-1, emb.shape[-1])
            emb = emb.index_put((is_vision,), feats.to(emb.dtype))
        return emb

    @torch.no_grad()
    def greedy(self, input_ids: List[int], token_types: List[int], pixel_values: Optional[torch.Tensor], steps: int,
               use_cache: bool = True, keep_logits: int = 0, image_embeds: Optional[torch.Tensor] = None) -> Tuple[List[int], List[torch.Tensor]]:
        """Greedy decoding as HF generate (top_k=1, stop at 128001/128009): returns the new
        tokens and the last-position logits of the first `keep_logits` steps. `image_embeds`
        (the vision tower's output) may be passed instead of `pixel_values`."""
        dev = self.lm_head.weight.device
        ids = torch.tensor([input_ids], dtype=torch.long, device=dev)
        types = torch.tensor([token_types], dtype=torch.long, device=dev)
        if image_embeds is None and pixel_values is not None and bool((types == VISION_TOKEN_TYPE).any()):
            image_embeds = self.model.vision(pixel_values.to(self.lm_head.weight.dtype))
        tokens: List[int] = []
        kept: List[torch.Tensor] = []
        past: Optional[List[KV]] = None
        for step in range(steps):
            if use_cache and past is not None:
                pos = build_position_ids(types)[:, -1:]
                vmask = get_expert_mask(types)[:, -1:]
                logits, past = self.decode(self.embed(ids[:, -1:]), vmask, pos, None, past, last_logits_only=True)
            else:
                emb = self.embed(ids)
                if image_embeds is not None:
                    emb = emb.index_put((types == VISION_TOKEN_TYPE,), image_embeds.reshape(-1, emb.shape[-1]).to(emb.dtype))
                logits, presents = self.decode(emb, get_expert_mask(types), build_position_ids(types), None, None, last_logits_only=True)
                past = presents if use_cache else None
            last = logits[0, -1]
            if step < keep_logits:
                kept.append(last.detach().cpu().clone())
            nxt = int(torch.argmax(last))
            tokens.append(nxt)
            if nxt in EOS_IDS:
                break
            ids = torch.cat((ids, torch.tensor([[nxt]], device=dev)), dim=1)
            types = torch.cat((types, torch.tensor([[LANGUAGE_TOKEN_TYPE]], device=dev)), dim=1)
        return tokens, kept


# ---------------------------------------------------------------------------------------------
# Construction and random initialisation


class _skip_default_init:
    """Construction without default initialisation: the meta device where torch supports it
    as a context (2.x), else reset_parameters made a no-op (memory is allocated, not filled)."""

    _CLASSES = (nn.Linear, nn.Conv2d, nn.Embedding, nn.LayerNorm)

    def __enter__(self):
        self.meta = torch.device("meta") if hasattr(torch.device("meta"), "__enter__") else None
        if self.meta is not None:
            self.meta.__enter__()
        else:
            self.saved = [(c, c.reset_parameters) for c in self._CLASSES]
            for c in self._CLASSES:
                c.reset_parameters = lambda self: None
        return self

    def __exit__(self, *exc):
        if self.meta is not None:
            self.meta.__exit__(*exc)
        else:
            for c, fn in self.saved:
                c.reset_parameters = fn
        return False


def build_model(cfg: CogVLM2Config, with_vision: bool = True, with_language: bool = True, query_chunk: int = 4096,
                device: str = "cpu", dtype: torch.dtype = torch.float32) -> CogVLM2:
    """Builds the module without spending time on default initialisation; fill the parameters
    with `load_weights` or `random_init`, then call `build_rope`."""
    with _skip_default_init():
        model = CogVLM2(cfg, with_vision, with_language, query_chunk)
    if any(t.is_meta for t in list(model.parameters()) + list(model.buffers())):
        model = model.to_empty(device=device)
    model = model.to(dtype=dtype, device=device)
    for layer in (model.model.layers if with_language else []):
        layer.self_attn.rotary_emb.inv_freq = default_inv_freq(cfg.head_dim).to(device=device)
    return model


def checkpoint_shapes(model: CogVLM2) -> Dict[str, Tuple[int, ...]]:
    """Official tensor name -> shape of everything the module loads from a checkpoint (the
    parameters and the persistent inv_freq buffers of the parts it holds)."""
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}
