// VerilatedUnit<Fast, Vcd, Fst>: holds the Verilated SystemC model of an RTL tile's unit in
// the build the tile was asked for (Fast: no tracing; Vcd / Fst: the same RTL Verilated
// with --trace / --trace-fst), binds its pins, and opens / closes its waveform. One
// template for every tile kind, so a tile only lists its three model classes and its pins.
//
// Include only from a tile's .cpp, after the three Verilated model headers, in a source
// compiled with VM_SC=1 VM_TRACE=1 VM_TRACE_VCD=1 VM_TRACE_FST=1 (rtl/CMakeLists.txt).
#pragma once

#include <memory>
#include <string>

// Verilator's trace classes have virtual functions and a non-virtual destructor: its
// headers are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#include "verilated_vcd_sc.h"
// Verilator 5.006's verilated_fst_sc.h reuses verilated_vcd_sc.h's include guard, so it
// would be skipped after it: drop the guard in between (the two classes do not clash).
#undef VERILATOR_VERILATED_VCD_SC_H_
#include "verilated_fst_sc.h"
#pragma GCC diagnostic pop

#include "rtl/engine/traced_unit.h"

namespace tessera::rtl {

template <class Fast, class Vcd, class Fst>
class VerilatedUnit final : public TracedUnit {
 public:
  // Builds the model of `waves`' build as the child module "unit" of the calling module
  // and binds its pins with `bind(model)` (a generic lambda: the three models have the
  // same ports but are unrelated types).
  template <class Bind>
  VerilatedUnit(WaveFormat waves, Bind&& bind) {
    switch (waves) {
      case WaveFormat::kNone:
        fast_ = std::make_unique<Fast>("unit");
        bind(*fast_);
        break;
      case WaveFormat::kVcd:
        Verilated::traceEverOn(true);
        vcd_model_ = std::make_unique<Vcd>("unit");
        bind(*vcd_model_);
        break;
      case WaveFormat::kFst:
        Verilated::traceEverOn(true);
        fst_model_ = std::make_unique<Fst>("unit");
        bind(*fst_model_);
        break;
    }
  }
  ~VerilatedUnit() override { close_trace(); }
  VerilatedUnit(const VerilatedUnit&) = delete;
  VerilatedUnit& operator=(const VerilatedUnit&) = delete;

  void open_trace(const std::string& path) override {
    // 99 levels: every signal of every submodule.
    if (vcd_model_ && !vcd_) {
      vcd_ = std::make_unique<VerilatedVcdSc>();
      vcd_model_->trace(vcd_.get(), 99);
      vcd_->open(path.c_str());
    } else if (fst_model_ && !fst_) {
      fst_ = std::make_unique<VerilatedFstSc>();
      fst_model_->trace(fst_.get(), 99);
      fst_->open(path.c_str());
    }
  }

  void close_trace() override {
    if (vcd_) {
      vcd_->close();
      vcd_.reset();
    }
    if (fst_) {
      fst_->close();
      fst_.reset();
    }
  }

 private:
  std::unique_ptr<Fast> fast_;
  std::unique_ptr<Vcd> vcd_model_;
  std::unique_ptr<Fst> fst_model_;
  std::unique_ptr<VerilatedVcdSc> vcd_;
  std::unique_ptr<VerilatedFstSc> fst_;
};

}  // namespace tessera::rtl
