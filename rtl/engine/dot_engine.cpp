#include "rtl/engine/dot_engine.h"

// The Verilated model's header: must not follow <systemc> (see DESIGN.md).
#include "Vdot_e4m3_l16.h"
#include "verilated.h"

namespace tessera::rtl {

struct DotEngine::Impl {
  VerilatedContext context;
  Vdot_e4m3_l16 top{&context, "dot_e4m3_l16"};

  void tick() {
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
  }
};

DotUnitInfo DotEngine::info() {
  return {numerics::FpFormat{4, 3}, 16, numerics::DotReduce::kTree, numerics::AccumMethod::kNaive,
          1};
}

DotEngine::DotEngine() : impl_(std::make_unique<Impl>()) {
  auto& t = impl_->top;
  t.clk = 0;
  t.rst = 1;
  t.in_valid = 0;
  t.out_ready = 1;
  t.eval();
  impl_->tick();
  impl_->tick();
  t.rst = 0;
  t.eval();
}

DotEngine::~DotEngine() = default;

std::uint64_t DotEngine::run(const std::uint64_t* a, const std::uint64_t* b, std::size_t k,
                             std::size_t count, std::uint64_t* results, double bytes_per_cycle) {
  constexpr std::size_t kLanes = 16;
  auto& t = impl_->top;
  const std::size_t beats = k == 0 ? 1 : (k + kLanes - 1) / kLanes;
  std::size_t job = 0, beat = 0, done = 0;
  std::uint64_t cycles = 0;
  // out_ready stays high, so in_ready (= !out_valid || out_ready) is high every cycle and
  // every presented beat is accepted at the next rising edge. Inputs are set together
  // with the rising edge: the unit registers its inputs before any arithmetic, so one
  // evaluation per edge does all the work.
  constexpr double kBeatBytes = 2.0 * kLanes;
  double credit = 0;
  t.out_ready = 1;
  while (done < count) {
    if (t.out_valid) results[done++] = t.out_result;  // consumed at this edge
    bool feeding = job < count;
    if (feeding && bytes_per_cycle > 0) {
      credit += bytes_per_cycle;
      if (credit >= kBeatBytes) {
        credit -= kBeatBytes;
      } else {
        feeding = false;
      }
    }
    t.in_valid = feeding ? 1 : 0;
    if (feeding) {
      const std::uint64_t* pa = a + job * k;
      const std::uint64_t* pb = b + job * k;
      for (std::size_t w = 0; w < kLanes / 4; ++w) {
        std::uint32_t wa = 0, wb = 0;
        for (std::size_t l = 0; l < 4; ++l) {
          const std::size_t idx = beat * kLanes + w * 4 + l;
          if (idx < k) {
            wa |= static_cast<std::uint32_t>(pa[idx] & 0xFF) << (8 * l);
            wb |= static_cast<std::uint32_t>(pb[idx] & 0xFF) << (8 * l);
          }
        }
        t.in_a[w] = wa;
        t.in_b[w] = wb;
      }
      t.in_last = (beat + 1 == beats) ? 1 : 0;
      if (++beat == beats) {
        beat = 0;
        ++job;
      }
    }
    impl_->tick();
    ++cycles;
  }
  t.in_valid = 0;
  t.eval();
  total_cycles_ += cycles;
  return cycles;
}

}  // namespace tessera::rtl
