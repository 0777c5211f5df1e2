// Bookkeeping of `tessera validate-roofline`, kept apart from the timing so it
// can be tested on synthetic timings: per kernel the error of the estimate
// against the device file, the error against roofs re-measured between the
// kernel's batches (the drift correction), and the bottleneck measured
// without the model; then the counts against the targets (docs/roofline.md,
// "Calibration and validation").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/roofline/estimator.h"

namespace tessera::roofline {

// Error targets from the original design's acceptance criteria.
inline constexpr double kComputeErrorTarget = 0.15;
inline constexpr double kMemoryErrorTarget = 0.20;
inline constexpr double kBottleneckTarget = 0.90;

// The device as measured right now: every peak and per-call cost scaled by
// `compute_ratio` (FMA roof now / the file's), every bandwidth and the
// per-run latency by `memory_ratio` (triad now / the file's), except the
// read-only DRAM bandwidth, scaled by `read_ratio` (read-only stream now /
// the file's) when it was measured (> 0) and by `memory_ratio` otherwise.
// A VM whose share of the host drifts slows compute and memory alike, not
// per kernel; the two DRAM probes drift apart by up to 15% within a minute
// here, so each kind of stream is corrected by its own probe.
DeviceConfig scale_device(const DeviceConfig& device, double compute_ratio, double memory_ratio,
                          double read_ratio = 0);

// (estimate - measured) / measured.
double relative_error(double estimate_s, double measured_s);

// Median of `values` (the mean of the middle two for an even count); 0 when empty.
double median(std::vector<double> values);

// Independent of the model: the kernel is compute-bound when its achieved
// FLOP/s is a larger fraction of the peak of the units it ran on than its
// compulsory bytes per second are of the DRAM bandwidth those units draw.
bool measured_compute_bound(double flops, double compulsory_bytes, double measured_s,
                            const DeviceConfig& device_on_units);

// One interleaved batch: the kernel's time per call and the roofs measured
// just before it on the kernel's threads, as ratios to the device file's roofs
// for that many units.
struct InterleavedBatch {
  double measured_s = 0;
  double compute_ratio = 1;
  double memory_ratio = 1;
  double read_ratio = 0;  // read-only stream now / the file's; 0: not measured
};

struct KernelCheck {
  std::string name;
  Estimate estimate;  // against the device file
  double best_s = 0, median_s = 0;
  double error = 0;  // file estimate vs the best time per call
  // Against the in-situ roofs: per batch estimate_i / measured_i, the median.
  double insitu_estimate_s = 0;  // the estimate at the median roof ratios
  double insitu_error = 0;
  double compute_ratio = 1, memory_ratio = 1;  // medians over the batches
  double read_ratio = 0;                       // median; 0 when not measured
  bool measured_compute_bound = false;
};

// Fills a KernelCheck from the file estimate and the interleaved batches of
// `op` on `device` (the file's).
KernelCheck check_kernel(const std::string& name, const OpSpec& op, const DeviceConfig& device,
                         const std::vector<InterleavedBatch>& batches);

struct ValidationCounts {
  int compute_n = 0, compute_ok = 0;  // model says compute-bound; error under 15%
  int memory_n = 0, memory_ok = 0;    // model says memory-bound; error under 20%
  int bound_ok = 0, total = 0;        // model and measured bottleneck agree
  double bound_fraction() const { return total > 0 ? static_cast<double>(bound_ok) / total : 0; }
  bool meets_targets() const {
    return compute_ok == compute_n && memory_ok == memory_n && bound_fraction() > kBottleneckTarget;
  }
};

// Counts against the targets, on the file error (insitu = false) or the
// in-situ error.
ValidationCounts count_targets(const std::vector<KernelCheck>& checks, bool insitu);

}  // namespace tessera::roofline
