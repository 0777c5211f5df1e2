// CNN traces: the layer table lowered to the tensors each op touches, in NCHW
// order. A conv reads its input feature map and its weights (batch-norm scale
// and shift, or the bias, stored with the kernel as if folded) and writes its
// output; ReLU is fused. Pooling reads and writes feature maps; fc flattens.
// A bottleneck block (ResNet v1.5) is conv1 (1x1), conv2 (3x3, stride), conv3
// (1x1), an optional 1x1 projection ("downsample") and the residual add.
// Layer index = 1-based position in the layer table.
#include <string>

#include "models/workload/generators/families.h"
#include "models/workload/generators/trace_builder.h"

namespace tessera::workload {
namespace {

struct FeatureMap {
  std::uint32_t tensor = 0;
  std::uint64_t c = 0, h = 0, w = 0;
};

class CnnGenerator {
 public:
  CnnGenerator(const config::WorkloadConfig& w, Trace& trace)
      : cfg_(w.cnn), b_(trace, w.dtype_bytes), db_(w.dtype_bytes), batch_(w.batch) {}

  void run() {
    // A bottleneck block is at most 5 ops, 5 weights and 5 outputs, 15 events.
    std::uint64_t units = 0;
    for (const config::CnnLayer& l : cfg_.layers) {
      units += l.type == config::CnnLayer::Type::kBottleneck ? 5 * l.blocks : 1;
    }
    Trace& trace = b_.trace();
    trace.ops.reserve(units);
    trace.tensors.reserve(1 + 2 * units);
    trace.events.reserve(3 * units);
    FeatureMap x{0, cfg_.channels, cfg_.height, cfg_.width};
    x.tensor = b_.tensor("input.image", bytes_of(x), TensorRole::kInput);
    for (std::size_t i = 0; i < cfg_.layers.size(); ++i) {
      const config::CnnLayer& l = cfg_.layers[i];
      const auto layer = static_cast<std::uint32_t>(i + 1);
      const std::string p = "layer" + std::to_string(layer) + ".";
      switch (l.type) {
        case config::CnnLayer::Type::kConv:
          x = conv(join(p, "conv"), layer, x, l.out_channels, l.kernel, l.stride, l.padding,
                   l.batch_norm, l.bias);
          break;
        case config::CnnLayer::Type::kPool:
          x = pool(join(p, "pool"), layer, x, l);
          break;
        case config::CnnLayer::Type::kFc:
          x = fc(join(p, "fc"), layer, x, l.out_channels, l.bias);
          break;
        case config::CnnLayer::Type::kBottleneck:
          for (std::uint64_t j = 0; j < l.blocks; ++j) {
            x = bottleneck(join(p, "block") + std::to_string(j + 1) + ".", layer, x, l.mid_channels,
                           l.out_channels, j == 0 ? l.stride : 1);
          }
          break;
      }
    }
    b_.trace().tensors[x.tensor].role = TensorRole::kOutput;
  }

 private:
  std::uint64_t bytes_of(const FeatureMap& f) const { return batch_ * f.c * f.h * f.w * db_; }
  static std::uint64_t window_out(std::uint64_t in, std::uint64_t k, std::uint64_t s,
                                  std::uint64_t p) {
    return (in + 2 * p - k) / s + 1;
  }

  FeatureMap conv(const std::string& name, std::uint32_t layer, const FeatureMap& in,
                  std::uint64_t out_c, std::uint64_t k, std::uint64_t s, std::uint64_t pad, bool bn,
                  bool bias) {
    FeatureMap out{0, out_c, window_out(in.h, k, s, pad), window_out(in.w, k, s, pad)};
    const std::uint64_t extra = bn ? 2 * out_c : bias ? out_c : 0;
    const std::uint32_t weight =
        b_.tensor(join(name, ".weight"), (out_c * in.c * k * k + extra) * db_, TensorRole::kWeight);
    out.tensor = b_.tensor(join(name, ".out"), bytes_of(out), TensorRole::kActivation);
    // im2col view: (B*Ho*Wo) x (Cin*k*k) times (Cin*k*k) x Cout.
    b_.gemm_op(name, OpKind::kConv2d, layer, 1, batch_ * out.h * out.w, out_c, in.c * k * k);
    b_.read(in.tensor);
    b_.read(weight);
    b_.write(out.tensor);
    return out;
  }

  FeatureMap pool(const std::string& name, std::uint32_t layer, const FeatureMap& in,
                  const config::CnnLayer& l) {
    FeatureMap out{0, in.c, 1, 1};
    std::uint64_t window = in.h * in.w;
    if (!l.global_pool) {
      out.h = window_out(in.h, l.kernel, l.stride, l.padding);
      out.w = window_out(in.w, l.kernel, l.stride, l.padding);
      window = l.kernel * l.kernel;
    }
    out.tensor = b_.tensor(join(name, ".out"), bytes_of(out), TensorRole::kActivation);
    // One compare or add per window element.
    b_.elementwise_op(name, OpKind::kPool, layer, batch_ * out.c * out.h * out.w, window);
    b_.read(in.tensor);
    b_.write(out.tensor);
    return out;
  }

  FeatureMap fc(const std::string& name, std::uint32_t layer, const FeatureMap& in,
                std::uint64_t out_f, bool bias) {
    const std::uint64_t in_f = in.c * in.h * in.w;
    FeatureMap out{0, out_f, 1, 1};
    const std::uint32_t weight = b_.tensor(
        join(name, ".weight"), (in_f * out_f + (bias ? out_f : 0)) * db_, TensorRole::kWeight);
    out.tensor = b_.tensor(join(name, ".out"), bytes_of(out), TensorRole::kActivation);
    b_.gemm_op(name, OpKind::kGemm, layer, 1, batch_, out_f, in_f);
    b_.read(in.tensor);
    b_.read(weight);
    b_.write(out.tensor);
    return out;
  }

  FeatureMap bottleneck(const std::string& p, std::uint32_t layer, const FeatureMap& in,
                        std::uint64_t mid, std::uint64_t out_c, std::uint64_t stride) {
    const FeatureMap a = conv(join(p, "conv1"), layer, in, mid, 1, 1, 0, true, false);
    const FeatureMap c2 = conv(join(p, "conv2"), layer, a, mid, 3, stride, 1, true, false);
    const FeatureMap c3 = conv(join(p, "conv3"), layer, c2, out_c, 1, 1, 0, true, false);
    FeatureMap shortcut = in;
    if (stride != 1 || in.c != out_c)
      shortcut = conv(join(p, "downsample"), layer, in, out_c, 1, stride, 0, true, false);
    FeatureMap out = c3;
    out.tensor = b_.tensor(join(p, "add.out"), bytes_of(c3), TensorRole::kActivation);
    b_.elementwise_op(join(p, "add"), OpKind::kElementwise, layer, batch_ * c3.c * c3.h * c3.w, 1);
    b_.read(c3.tensor);
    b_.read(shortcut.tensor);
    b_.write(out.tensor);
    return out;
  }

  const config::CnnShape& cfg_;
  TraceBuilder b_;
  const std::uint64_t db_, batch_;
};

}  // namespace

void generate_cnn(const config::WorkloadConfig& workload, Trace& trace) {
  CnnGenerator(workload, trace).run();
}

}  // namespace tessera::workload
