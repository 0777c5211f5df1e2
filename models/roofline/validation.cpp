#include "models/roofline/validation.h"

#include <algorithm>
#include <cmath>

namespace tessera::roofline {

DeviceConfig scale_device(const DeviceConfig& device, double compute_ratio, double memory_ratio,
                          double read_ratio) {
  DeviceConfig d = device;
  for (double& p : d.peak_flops_per_s) p *= compute_ratio;
  d.vector_flops_per_s *= compute_ratio;
  // Fixed per-call and per-tile costs are instructions: they run at the
  // cores' speed.
  d.launch_overhead_ps = static_cast<Picoseconds>(
      std::llround(static_cast<double>(d.launch_overhead_ps) / compute_ratio));
  d.gemm.tile_overhead_ps = static_cast<Picoseconds>(
      std::llround(static_cast<double>(d.gemm.tile_overhead_ps) / compute_ratio));
  for (auto& c : d.caches) c.bandwidth_bytes_per_s *= memory_ratio;
  d.memory_bandwidth_bytes_per_s *= memory_ratio;
  d.memory_bandwidth_per_unit_bytes_per_s *= memory_ratio;
  const double read = read_ratio > 0 ? read_ratio : memory_ratio;
  d.memory_read_bandwidth_bytes_per_s *= read;
  d.memory_read_bandwidth_per_unit_bytes_per_s *= read;
  d.gemm.pack_run_latency_ps = static_cast<Picoseconds>(
      std::llround(static_cast<double>(d.gemm.pack_run_latency_ps) / memory_ratio));
  return d;
}

double relative_error(double estimate_s, double measured_s) {
  return (estimate_s - measured_s) / measured_s;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

bool measured_compute_bound(double flops, double compulsory_bytes, double measured_s,
                            const DeviceConfig& device_on_units) {
  const double compute_use = flops / measured_s / device_on_units.peak(config::Dtype::kFp32);
  const double memory_use =
      compulsory_bytes / measured_s / device_on_units.memory_bandwidth_bytes_per_s;
  return compute_use >= memory_use;
}

KernelCheck check_kernel(const std::string& name, const OpSpec& op, const DeviceConfig& device,
                         const std::vector<InterleavedBatch>& batches) {
  KernelCheck c;
  c.name = name;
  c.estimate = estimate(op, device);
  std::vector<double> times, ratios, compute_ratios, memory_ratios, read_ratios;
  for (const InterleavedBatch& b : batches) {
    times.push_back(b.measured_s);
    compute_ratios.push_back(b.compute_ratio);
    memory_ratios.push_back(b.memory_ratio);
    if (b.read_ratio > 0) read_ratios.push_back(b.read_ratio);
    const double est =
        estimate(op, scale_device(device, b.compute_ratio, b.memory_ratio, b.read_ratio)).time_s;
    ratios.push_back(est / b.measured_s);
  }
  c.best_s = times.empty() ? 0 : *std::min_element(times.begin(), times.end());
  c.median_s = median(times);
  c.error = relative_error(c.estimate.time_s, c.best_s);
  // Each batch is compared with the roofs measured right before it: the
  // median of those paired ratios follows the machine's drift.
  c.insitu_error = median(ratios) - 1.0;
  c.compute_ratio = median(compute_ratios);
  c.memory_ratio = median(memory_ratios);
  c.read_ratio = median(read_ratios);
  const DeviceConfig now = scale_device(device, c.compute_ratio, c.memory_ratio, c.read_ratio);
  c.insitu_estimate_s = estimate(op, now).time_s;
  // The measured bottleneck against the roofs as they were during the run.
  c.measured_compute_bound = measured_compute_bound(c.estimate.flops, c.estimate.compulsory_bytes,
                                                    c.best_s, restrict_to_units(now, op.units));
  return c;
}

ValidationCounts count_targets(const std::vector<KernelCheck>& checks, bool insitu) {
  ValidationCounts n;
  for (const KernelCheck& c : checks) {
    ++n.total;
    if (c.measured_compute_bound == c.estimate.compute_bound) ++n.bound_ok;
    const double err = std::fabs(insitu ? c.insitu_error : c.error);
    if (c.estimate.compute_bound) {
      ++n.compute_n;
      if (err < kComputeErrorTarget) ++n.compute_ok;
    } else {
      ++n.memory_n;
      if (err < kMemoryErrorTarget) ++n.memory_ok;
    }
  }
  return n;
}

}  // namespace tessera::roofline
