// Transformer (encoder or decoder) and MoE traces. Pre-norm blocks:
//   x -> attn_norm -> q/k/v projections -> attention -> o_proj -> + x
//     -> ffn_norm -> FFN (dense, or router + dispatch + experts + combine) -> + x
// framed by the embedding lookup (layer 0) and the final norm and LM head
// (layer L + 1); blocks are layers 1..L. Attention is one fused op (scores
// never reach memory, as in FlashAttention). Decoders keep per-layer K and V
// caches laid out position-major ([position][batch][kv_dim]) so that the first
// P positions of every sequence are one contiguous range: prefill writes
// positions [0, S); decode step t (1-based) writes position S + t - 1 and
// reads the first S + t positions.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "models/workload/generators/families.h"
#include "models/workload/generators/moe_router.h"
#include "models/workload/generators/trace_builder.h"

namespace tessera::workload {
namespace {

// Per-element FLOP counts of the non-GEMM ops (an approximation; GEMMs are exact).
constexpr std::uint64_t kNormFlopsPerElement = 5;
constexpr std::uint64_t kAddFlopsPerElement = 1;

// The synthetic prompt: the token at (sequence b, position p) is a fixed hash
// of (b, p) modulo the vocabulary. It does not depend on the seed: only
// random draws (routing, reuse) change with the seed.
std::uint64_t token_row(std::uint64_t b, std::uint64_t p, std::uint64_t vocab) {
  std::uint64_t z = b * 0x9E3779B97F4A7C15ull + p + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) % vocab;
}

struct LayerWeights {
  std::uint32_t attn_norm = 0, wq = 0, wk = 0, wv = 0, wo = 0, ffn_norm = 0;
  std::uint32_t w_gate = 0, w_up = 0, w_down = 0;  // dense FFN
  std::uint32_t router = 0;
  std::vector<std::uint32_t> expert_gate, expert_up, expert_down;  // MoE
  std::uint32_t k_cache = 0, v_cache = 0;                          // decoder
};

class TransformerGenerator {
 public:
  TransformerGenerator(const config::WorkloadConfig& w, Trace& trace)
      : t_(w.transformer),
        b_(trace, w.dtype_bytes),
        db_(w.dtype_bytes),
        batch_(w.batch),
        d_(t_.hidden_size),
        hd_(t_.hidden_size / t_.num_heads),
        kvd_(t_.num_kv_heads * hd_),
        moe_(w.family == "moe"),
        router_(Rng::derive(w.seed, 1), moe_ ? t_.num_experts : 0, moe_ ? t_.top_k : 0,
                t_.zipf_routing, t_.zipf_s) {}

  void run() {
    reserve();
    declare_weights();
    if (t_.prefill) forward("", t_.seq_length, t_.seq_length, 0);
    if (t_.decode) {
      for (std::uint64_t step = 1; step <= t_.decode_tokens; ++step) {
        forward("dec" + std::to_string(step) + ".", 1, t_.seq_length + step,
                t_.seq_length + step - 1);
      }
    }
  }

 private:
  // Sizes the tables once (an upper bound for MoE, whose expert ops depend on
  // routing), so that generation does not regrow them.
  void reserve() {
    const std::uint64_t L = t_.num_layers, E = t_.num_experts;
    std::uint64_t ops = 0, events = 0, tensors = 6 + L * (8 + 3 * E);
    auto add_pass = [&](std::uint64_t tokens) {
      // At most min(E, tokens x top_k) experts run per MoE layer, 2 ops and 7 events each.
      const std::uint64_t routed = moe_ ? std::min(E, tokens * t_.top_k) : 0;
      ops += 3 + L * (moe_ ? 10 + 2 * routed : 11);
      events += tokens + 10 + L * (moe_ ? 37 + 7 * routed : 34);
      tensors += 4 + L * (moe_ ? 13 : 11);
    };
    if (t_.prefill) add_pass(batch_ * t_.seq_length);
    if (t_.decode) {
      for (std::uint64_t s = 0; s < t_.decode_tokens; ++s) add_pass(batch_);
    }
    Trace& trace = b_.trace();
    trace.ops.reserve(ops);
    trace.events.reserve(events);
    trace.tensors.reserve(tensors);
  }

  std::uint64_t linear_bytes(std::uint64_t in, std::uint64_t out) const {
    return (in * out + (t_.bias ? out : 0)) * db_;
  }
  std::uint64_t norm_bytes() const { return (t_.rms_norm ? 1 : 2) * d_ * db_; }

  void declare_weights() {
    const auto W = TensorRole::kWeight;
    embed_ = b_.tensor("embed.tokens", t_.vocab_size * d_ * db_, W);
    if (t_.max_positions > 0)
      positions_ = b_.tensor("embed.positions", t_.max_positions * d_ * db_, W);
    layers_.resize(t_.num_layers);
    for (std::uint64_t i = 0; i < t_.num_layers; ++i) {
      const std::string p = "layer" + std::to_string(i + 1) + ".";
      LayerWeights& l = layers_[i];
      l.attn_norm = b_.tensor(join(p, "attn_norm.weight"), norm_bytes(), W);
      l.wq = b_.tensor(join(p, "attn.wq"), linear_bytes(d_, d_), W);
      l.wk = b_.tensor(join(p, "attn.wk"), linear_bytes(d_, kvd_), W);
      l.wv = b_.tensor(join(p, "attn.wv"), linear_bytes(d_, kvd_), W);
      l.wo = b_.tensor(join(p, "attn.wo"), linear_bytes(d_, d_), W);
      l.ffn_norm = b_.tensor(join(p, "ffn_norm.weight"), norm_bytes(), W);
      const std::uint64_t F = t_.ffn_size;
      if (!moe_) {
        if (t_.gated_ffn) l.w_gate = b_.tensor(join(p, "ffn.w_gate"), linear_bytes(d_, F), W);
        l.w_up = b_.tensor(join(p, "ffn.w_up"), linear_bytes(d_, F), W);
        l.w_down = b_.tensor(join(p, "ffn.w_down"), linear_bytes(F, d_), W);
        continue;
      }
      // The router has no bias (Mixtral's gate is a plain linear map).
      l.router = b_.tensor(join(p, "moe.router"), d_ * t_.num_experts * db_, W);
      for (std::uint64_t e = 0; e < t_.num_experts; ++e) {
        const std::string ep = join(p, "moe.expert") + std::to_string(e) + ".";
        if (t_.gated_ffn)
          l.expert_gate.push_back(b_.tensor(join(ep, "w_gate"), linear_bytes(d_, F), W));
        l.expert_up.push_back(b_.tensor(join(ep, "w_up"), linear_bytes(d_, F), W));
        l.expert_down.push_back(b_.tensor(join(ep, "w_down"), linear_bytes(F, d_), W));
      }
    }
    final_norm_ = b_.tensor("head.norm.weight", norm_bytes(), W);
    if (t_.lm_head) {
      lm_head_ =
          t_.tied_embeddings ? embed_ : b_.tensor("head.lm_head", d_ * t_.vocab_size * db_, W);
    }
    if (!t_.decoder) return;
    const std::uint64_t positions = t_.seq_length + t_.decode_tokens;
    for (std::uint64_t i = 0; i < t_.num_layers; ++i) {
      const std::string p = "layer" + std::to_string(i + 1) + ".attn.";
      layers_[i].k_cache =
          b_.tensor(join(p, "k_cache"), positions * batch_ * kvd_ * db_, TensorRole::kKvCache);
      layers_[i].v_cache =
          b_.tensor(join(p, "v_cache"), positions * batch_ * kvd_ * db_, TensorRole::kKvCache);
    }
  }

  std::uint32_t act(std::string name, std::uint64_t bytes) {
    return b_.tensor(std::move(name), bytes, TensorRole::kActivation);
  }

  // One pass over the model for `sq` new tokens per sequence whose positions
  // start at `first_pos`; attention sees `ctx` positions.
  void forward(const std::string& step, std::uint64_t sq, std::uint64_t ctx,
               std::uint64_t first_pos) {
    const std::uint64_t T = batch_ * sq;
    const std::uint64_t row = d_ * db_;

    // Embedding lookup: one read per token of its table row, plus the rows of
    // the learned position table for these positions (shared by the batch).
    const std::uint32_t ids = b_.tensor(join(step, "input.token_ids"), T * 4, TensorRole::kInput);
    std::uint32_t x = act(join(step, "embed.out"), T * row);
    b_.elementwise_op(join(step, "embed"), OpKind::kEmbedding, 0, T * d_,
                      t_.max_positions > 0 ? 1 : 0);
    b_.read(ids);
    for (std::uint64_t s = 0; s < batch_; ++s) {
      for (std::uint64_t p = first_pos; p < first_pos + sq; ++p) {
        b_.read_part(embed_, token_row(s, p, t_.vocab_size) * row, row);
      }
    }
    if (t_.max_positions > 0) b_.read_part(positions_, first_pos * row, sq * row);
    b_.write(x);

    for (std::uint64_t i = 0; i < t_.num_layers; ++i) {
      x = block(join(step, "layer") + std::to_string(i + 1) + ".",
                static_cast<std::uint32_t>(i + 1), layers_[i], x, sq, ctx, first_pos);
    }

    const auto head_layer = static_cast<std::uint32_t>(t_.num_layers + 1);
    const bool last_is_norm = !t_.lm_head;
    const std::uint32_t n = b_.tensor(join(step, "head.norm.out"), T * row,
                                      last_is_norm ? TensorRole::kOutput : TensorRole::kActivation);
    b_.elementwise_op(join(step, "head.norm"), OpKind::kLayerNorm, head_layer, T * d_,
                      kNormFlopsPerElement);
    b_.read(x);
    b_.read(final_norm_);
    b_.write(n);
    if (!t_.lm_head) return;
    const std::uint32_t logits =
        b_.tensor(join(step, "head.logits"), T * t_.vocab_size * db_, TensorRole::kOutput);
    b_.gemm_op(join(step, "head.lm_head"), OpKind::kGemm, head_layer, 1, T, t_.vocab_size, d_);
    b_.read(n);
    b_.read(lm_head_);
    b_.write(logits);
  }

  std::uint32_t block(const std::string& p, std::uint32_t layer, const LayerWeights& l,
                      std::uint32_t x, std::uint64_t sq, std::uint64_t ctx,
                      std::uint64_t first_pos) {
    const std::uint64_t T = batch_ * sq;
    const std::uint64_t hidden_bytes = T * d_ * db_;

    const std::uint32_t n1 = act(join(p, "attn_norm.out"), hidden_bytes);
    b_.elementwise_op(join(p, "attn_norm"), OpKind::kLayerNorm, layer, T * d_,
                      kNormFlopsPerElement);
    b_.read(x);
    b_.read(l.attn_norm);
    b_.write(n1);

    const std::uint32_t q = act(join(p, "attn.q"), hidden_bytes);
    b_.gemm_op(join(p, "attn.q_proj"), OpKind::kGemm, layer, 1, T, d_, d_);
    b_.read(n1);
    b_.read(l.wq);
    b_.write(q);

    // K and V: into the caches (decoder) or plain activations (encoder).
    const std::uint64_t kv_row = batch_ * kvd_ * db_;  // one position of every sequence
    std::uint32_t k = l.k_cache, v = l.v_cache;
    if (!t_.decoder) {
      k = act(join(p, "attn.k"), T * kvd_ * db_);
      v = act(join(p, "attn.v"), T * kvd_ * db_);
    }
    const char* names[2] = {"attn.k_proj", "attn.v_proj"};
    const std::uint32_t weights[2] = {l.wk, l.wv};
    const std::uint32_t outs[2] = {k, v};
    for (int j = 0; j < 2; ++j) {
      b_.gemm_op(join(p, names[j]), OpKind::kGemm, layer, 1, T, kvd_, d_);
      b_.read(n1);
      b_.read(weights[j]);
      if (t_.decoder) {
        b_.write_part(outs[j], first_pos * kv_row, sq * kv_row);
      } else {
        b_.write(outs[j]);
      }
    }

    // Fused attention: scores (q k^T) and context (p v), each a batched GEMM
    // of batch * heads problems; FLOPs count both, softmax excluded.
    const std::uint32_t context = act(join(p, "attn.context"), hidden_bytes);
    b_.op(join(p, "attn.attention"), OpKind::kAttention, layer,
          4 * batch_ * t_.num_heads * sq * ctx * hd_, batch_ * t_.num_heads, sq, ctx, hd_);
    b_.read(q);
    if (t_.decoder) {
      b_.read_part(k, 0, ctx * kv_row);
      b_.read_part(v, 0, ctx * kv_row);
    } else {
      b_.read(k);
      b_.read(v);
    }
    b_.write(context);

    const std::uint32_t a = act(join(p, "attn.out"), hidden_bytes);
    b_.gemm_op(join(p, "attn.o_proj"), OpKind::kGemm, layer, 1, T, d_, d_);
    b_.read(context);
    b_.read(l.wo);
    b_.write(a);

    const std::uint32_t x2 = act(join(p, "attn_residual.out"), hidden_bytes);
    b_.elementwise_op(join(p, "attn_residual"), OpKind::kElementwise, layer, T * d_,
                      kAddFlopsPerElement);
    b_.read(x);
    b_.read(a);
    b_.write(x2);

    const std::uint32_t n2 = act(join(p, "ffn_norm.out"), hidden_bytes);
    b_.elementwise_op(join(p, "ffn_norm"), OpKind::kLayerNorm, layer, T * d_, kNormFlopsPerElement);
    b_.read(x2);
    b_.read(l.ffn_norm);
    b_.write(n2);

    const std::uint32_t f = moe_ ? moe_ffn(p, layer, l, n2, T) : dense_ffn(p, layer, l, n2, T);

    const std::uint32_t x3 = act(join(p, "ffn_residual.out"), hidden_bytes);
    b_.elementwise_op(join(p, "ffn_residual"), OpKind::kElementwise, layer, T * d_,
                      kAddFlopsPerElement);
    b_.read(x2);
    b_.read(f);
    b_.write(x3);
    return x3;
  }

  // GELU: up (activation fused) then down. SwiGLU: gate and up in one op
  // (n = 2F, SiLU and product fused), then down.
  std::uint32_t dense_ffn(const std::string& p, std::uint32_t layer, const LayerWeights& l,
                          std::uint32_t n2, std::uint64_t T) {
    const std::uint64_t F = t_.ffn_size;
    const std::uint32_t h = act(join(p, "ffn.hidden"), T * F * db_);
    b_.gemm_op(join(p, t_.gated_ffn ? "ffn.gate_up" : "ffn.up"), OpKind::kGemm, layer, 1, T,
               (t_.gated_ffn ? 2 : 1) * F, d_);
    b_.read(n2);
    if (t_.gated_ffn) b_.read(l.w_gate);
    b_.read(l.w_up);
    b_.write(h);
    const std::uint32_t f = act(join(p, "ffn.out"), T * d_ * db_);
    b_.gemm_op(join(p, "ffn.down"), OpKind::kGemm, layer, 1, T, d_, F);
    b_.read(h);
    b_.read(l.w_down);
    b_.write(f);
    return f;
  }

  // Router, then dispatch (tokens copied into expert order: expert 0's rows
  // first), each routed expert on its contiguous slice, then combine (the
  // weighted sum of each token's top_k expert outputs). The three buffers are
  // sized T * top_k rows whatever the routing, so addresses never depend on it.
  std::uint32_t moe_ffn(const std::string& p, std::uint32_t layer, const LayerWeights& l,
                        std::uint32_t n2, std::uint64_t T) {
    const std::uint64_t E = t_.num_experts, K = t_.top_k, F = t_.ffn_size;
    const std::uint64_t row = d_ * db_, hrow = F * db_;
    const std::uint32_t logits = act(join(p, "moe.router_logits"), T * E * db_);
    b_.gemm_op(join(p, "moe.router"), OpKind::kRouter, layer, 1, T, E, d_);
    b_.read(n2);
    b_.read(l.router);
    b_.write(logits);

    const std::uint32_t dispatched = act(join(p, "moe.dispatched"), T * K * row);
    b_.elementwise_op(join(p, "moe.dispatch"), OpKind::kElementwise, layer, T * K * d_, 0);
    b_.read(n2);
    b_.read(logits);
    b_.write(dispatched);

    const std::uint32_t hidden = act(join(p, "moe.expert_hidden"), T * K * hrow);
    const std::uint32_t expert_out = act(join(p, "moe.expert_out"), T * K * row);
    router_.route(T);
    std::uint64_t first = 0;  // first dispatched row of this expert
    for (std::uint64_t e = 0; e < E; ++e) {
      const std::uint64_t c = router_.tokens_of(e);
      if (c == 0) continue;
      const std::string ep = join(p, "moe.expert") + std::to_string(e) + ".";
      b_.gemm_op(join(ep, t_.gated_ffn ? "gate_up" : "up"), OpKind::kGemm, layer, 1, c,
                 (t_.gated_ffn ? 2 : 1) * F, d_);
      b_.read_part(dispatched, first * row, c * row);
      if (t_.gated_ffn) b_.read(l.expert_gate[e]);
      b_.read(l.expert_up[e]);
      b_.write_part(hidden, first * hrow, c * hrow);
      b_.gemm_op(join(ep, "down"), OpKind::kGemm, layer, 1, c, d_, F);
      b_.read_part(hidden, first * hrow, c * hrow);
      b_.read(l.expert_down[e]);
      b_.write_part(expert_out, first * row, c * row);
      first += c;
    }

    const std::uint32_t f = act(join(p, "moe.out"), T * row);
    b_.elementwise_op(join(p, "moe.combine"), OpKind::kElementwise, layer, T * K * d_, 2);
    b_.read(expert_out);
    b_.read(logits);
    b_.write(f);
    return f;
  }

  const config::TransformerShape& t_;
  TraceBuilder b_;
  const std::uint64_t db_, batch_, d_, hd_, kvd_;
  const bool moe_;
  MoeRouter router_;
  std::vector<LayerWeights> layers_;
  std::uint32_t embed_ = 0, positions_ = 0, final_norm_ = 0, lm_head_ = 0;
};

}  // namespace

void generate_transformer(const config::WorkloadConfig& workload, Trace& trace) {
  TransformerGenerator(workload, trace).run();
}

}  // namespace tessera::workload
