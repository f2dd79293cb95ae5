"""CogVLM2 configuration with the official Hugging Face field names (config.json), its
validation, the special token ids, and the tiny reference configuration."""

from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import List

LANGUAGE_TOKEN_TYPE = 0
VISION_TOKEN_TYPE = 1
BOS_ID = 128000
EOS_IDS = (128001, 128009)
PAD_ID = 128002
ROPE_BASE = 500000.0  # hard-coded in VisionExpertAttention, not read from the config


class ConfigError(Exception):
    """A config.json field that is missing or wrong; the message names the file and field."""


@dataclass
class VisionConfig:
    hidden_size: int = 1792
    num_heads: int = 16
    num_hidden_layers: int = 63
    intermediate_size: int = 15360
    patch_size: int = 14
    image_size: int = 1344
    in_channels: int = 3
    num_positions: int = 9217
    layer_norm_eps: float = 1e-6
    hidden_act: str = "gelu"
    dropout_prob: float = 0.0


@dataclass
class CogVLM2Config:
    vocab_size: int = 128256
    hidden_size: int = 4096
    intermediate_size: int = 14336
    num_hidden_layers: int = 32
    num_attention_heads: int = 32
    num_multi_query_heads: int = 8
    hidden_act: str = "silu"
    max_position_embeddings: int = 8192
    initializer_range: float = 0.02
    rms_norm_eps: float = 1e-5
    template_version: str = "chat"
    bos_token_id: int = BOS_ID
    eos_token_id: List[int] = field(default_factory=lambda: list(EOS_IDS))
    pad_token_id: int = PAD_ID
    tie_word_embeddings: bool = False
    vision_config: VisionConfig = field(default_factory=VisionConfig)

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @property
    def grid_size(self) -> int:
        return self.vision_config.image_size // self.vision_config.patch_size

    @property
    def image_tokens(self) -> int:
        """Vision vectors per image: (1344 // 14 // 2)^2 patches + boi + eoi = 2306."""
        return (self.grid_size // 2) ** 2 + 2

    def to_hf_dict(self) -> dict:
        d = asdict(self)
        d["vision_config"] = asdict(self.vision_config)
        return {
            "architectures": ["CogVLMForCausalLM"],
            "auto_map": {
                "AutoConfig": "configuration_cogvlm.CogVLMConfig",
                "AutoModelForCausalLM": "modeling_cogvlm.CogVLMForCausalLM",
            },
            **d,
            "use_cache": True,
        }

    @staticmethod
    def from_hf_dict(d: dict, source: str = "config.json") -> "CogVLM2Config":
        def need(obj: dict, key: str, kind, where: str, default=None):
            if key not in obj:
                if default is not None:
                    return default
                raise ConfigError(f"{source}: field {where}{key} is missing; is this a CogVLM2 config.json?")
            v = obj[key]
            if kind is int and (isinstance(v, bool) or not isinstance(v, int)):
                raise ConfigError(f"{source}: field {where}{key} must be an integer, got {v!r}")
            if kind is float and not isinstance(v, (int, float)):
                raise ConfigError(f"{source}: field {where}{key} must be a number, got {v!r}")
            return v

        vc_raw = d.get("vision_config")
        if not isinstance(vc_raw, dict):
            raise ConfigError(f"{source}: field vision_config is missing or not an object; CogVLM2 configs carry the EVA2-CLIP settings there")
        vd = VisionConfig()
        vc = VisionConfig(
            hidden_size=need(vc_raw, "hidden_size", int, "vision_config."),
            num_heads=need(vc_raw, "num_heads", int, "vision_config."),
            num_hidden_layers=need(vc_raw, "num_hidden_layers", int, "vision_config."),
            intermediate_size=need(vc_raw, "intermediate_size", int, "vision_config."),
            patch_size=need(vc_raw, "patch_size", int, "vision_config."),
            image_size=need(vc_raw, "image_size", int, "vision_config."),
            in_channels=need(vc_raw, "in_channels", int, "vision_config.", vd.in_channels),
            num_positions=need(vc_raw, "num_positions", int, "vision_config."),
            layer_norm_eps=float(need(vc_raw, "layer_norm_eps", float, "vision_config.", vd.layer_norm_eps)),
            hidden_act=vc_raw.get("hidden_act", vd.hidden_act),
            dropout_prob=float(vc_raw.get("dropout_prob", 0.0)),
        )
        dd = CogVLM2Config()
        eos = d.get("eos_token_id", dd.eos_token_id)
        cfg = CogVLM2Config(
            vocab_size=need(d, "vocab_size", int, ""),
            hidden_size=need(d, "hidden_size", int, ""),
            intermediate_size=need(d, "intermediate_size", int, ""),
            num_hidden_layers=need(d, "num_hidden_layers", int, ""),
            num_attention_heads=need(d, "num_attention_heads", int, ""),
            # configuration_cogvlm.py defaults this to 8; the English config.json leaves it out
            num_multi_query_heads=need(d, "num_multi_query_heads", int, "", dd.num_multi_query_heads),
            hidden_act=d.get("hidden_act", dd.hidden_act),
            max_position_embeddings=need(d, "max_position_embeddings", int, "", dd.max_position_embeddings),
            initializer_range=float(d.get("initializer_range", dd.initializer_range)),
            rms_norm_eps=float(need(d, "rms_norm_eps", float, "", dd.rms_norm_eps)),
            template_version=d.get("template_version", dd.template_version),
            bos_token_id=need(d, "bos_token_id", int, "", dd.bos_token_id),
            eos_token_id=list(eos) if isinstance(eos, list) else [eos],
            pad_token_id=need(d, "pad_token_id", int, "", dd.pad_token_id),
            tie_word_embeddings=bool(d.get("tie_word_embeddings", False)),
            vision_config=vc,
        )
        cfg.validate(source)
        return cfg

    def validate(self, source: str = "config") -> None:
        v = self.vision_config
        checks = [
            (self.hidden_size % self.num_attention_heads == 0, "hidden_size must be a multiple of num_attention_heads"),
            (self.num_attention_heads % self.num_multi_query_heads == 0, "num_attention_heads must be a multiple of num_multi_query_heads"),
            (self.head_dim % 2 == 0, "the head size (hidden_size / num_attention_heads) must be even for RoPE"),
            (v.hidden_size % v.num_heads == 0, "vision_config.hidden_size must be a multiple of vision_config.num_heads"),
            (v.image_size % v.patch_size == 0 and (v.image_size // v.patch_size) % 2 == 0, "vision_config.image_size / patch_size must be an even integer (2x2 conv)"),
            (v.num_positions == (v.image_size // v.patch_size) ** 2 + 1, "vision_config.num_positions must be (image_size/patch_size)^2 + 1"),
            (self.hidden_act == "silu", f"hidden_act {self.hidden_act!r} is not supported (CogVLM2 uses silu)"),
            (v.hidden_act == "gelu", f"vision_config.hidden_act {v.hidden_act!r} is not supported (CogVLM2 uses gelu)"),
            (not self.tie_word_embeddings, "tie_word_embeddings=true is not CogVLM2 (the lm_head is separate)"),
        ]
        for ok, msg in checks:
            if not ok:
                raise ConfigError(f"{source}: {msg}")


def tiny_config() -> CogVLM2Config:
    """The tiny reference model: real vocabulary, special tokens, image size and token layout;
    width 8, depth 2, GQA 2 query heads per KV head."""
    return CogVLM2Config(
        hidden_size=8,
        intermediate_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_multi_query_heads=1,
        vision_config=VisionConfig(hidden_size=8, num_heads=2, num_hidden_layers=2, intermediate_size=16),
    )
