#include "models/analysis/validation.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "models/analysis/locality.h"
#include "models/analysis/reuse_distance.h"
#include "models/analysis/stat_tests.h"
#include "models/core/error.h"

namespace tessera::analysis {
namespace {

// Reuse distances in tensors of every access; cold ones are kCold, which sorts
// after every finite distance (the empirical CDF lives on the extended line).
std::vector<std::uint64_t> distances_of(const workload::Trace& trace) {
  return compute_reuse_distances(trace).tensors;
}

std::vector<std::uint64_t> touched_sizes(const workload::Trace& trace) {
  check_tensor_ids(trace);
  std::vector<bool> seen(trace.tensors.size(), false);
  std::vector<std::uint64_t> out;
  for (const auto& e : trace.events) {
    if (seen[e.tensor_id]) continue;
    seen[e.tensor_id] = true;
    out.push_back(trace.tensors[e.tensor_id].bytes);
  }
  return out;
}

// Log2 bins plus one extra bin (index kLog2Bins) for cold accesses.
std::vector<std::uint64_t> binned(const std::vector<std::uint64_t>& values) {
  std::vector<std::uint64_t> hist(kLog2Bins + 1, 0);
  for (std::uint64_t v : values) ++hist[v == kCold ? kLog2Bins : log2_bin(v)];
  return hist;
}

bool verdict(double effect, double threshold, double p, const ValidationOptions& o) {
  return effect <= threshold || p >= o.alpha;
}

TestOutcome ks_outcome(const std::string& measure, const KsResult& r, const ValidationOptions& o) {
  TestOutcome t;
  t.name = measure + ".ks";
  t.measure = measure;
  t.test = "ks";
  t.method = r.exact ? "exact" : "asymptotic";
  t.statistic = r.d;
  t.p_value = r.p_value;
  t.effect_name = "D";
  t.effect = r.d;
  t.threshold = o.max_ks_d;
  t.n = r.n;
  t.m = r.m;
  t.pass = verdict(t.effect, t.threshold, t.p_value, o);
  return t;
}

TestOutcome chi_outcome(const std::string& measure, const ChiSquareResult& r,
                        const std::string& effect_name, std::uint64_t n, std::uint64_t m,
                        const ValidationOptions& o) {
  TestOutcome t;
  t.name = measure + ".chi_square";
  t.measure = measure;
  t.test = "chi_square";
  t.method = "log2 bins pooled to expected >= 5";
  t.statistic = r.statistic;
  t.p_value = r.p_value;
  t.dof = r.dof;
  t.bins = r.bins;
  t.effect_name = effect_name;
  t.effect = r.effect;
  t.threshold = o.max_effect;
  t.n = n;
  t.m = m;
  t.pass = verdict(t.effect, t.threshold, t.p_value, o);
  return t;
}

}  // namespace

bool parse_named_reference(const std::string& text, NamedReference& out) {
  if (text == "uniform") {
    out = NamedReference{NamedReference::Kind::kUniform, 0.0, text};
    return true;
  }
  const std::string prefix = "zipf:";
  if (text.rfind(prefix, 0) != 0) return false;
  const std::string number = text.substr(prefix.size());
  char* end = nullptr;
  errno = 0;
  const double s = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || errno != 0 || !(s > 0.0) ||
      !std::isfinite(s)) {
    throw InputError("--against: expected zipf:S with a number S > 0, found '" + text + "'");
  }
  out = NamedReference{NamedReference::Kind::kZipf, s, text};
  return true;
}

std::vector<double> reference_pmf(const NamedReference& reference, std::uint64_t distinct) {
  std::vector<double> pmf(distinct, 0.0);
  double sum = 0.0;
  for (std::uint64_t d = 0; d < distinct; ++d) {
    pmf[d] = reference.kind == NamedReference::Kind::kUniform
                 ? 1.0
                 : std::pow(static_cast<double>(d + 1), -reference.exponent);
    sum += pmf[d];
  }
  for (double& p : pmf) p /= sum;
  return pmf;
}

std::vector<TestOutcome> validate_against_trace(const workload::Trace& trace,
                                                const workload::Trace& reference,
                                                const ValidationOptions& options) {
  std::vector<TestOutcome> out;
  {
    std::vector<std::uint64_t> a = distances_of(trace), b = distances_of(reference);
    const ChiSquareResult chi = chi_square_two_sample(binned(a), binned(b));
    const KsResult ks = ks_two_sample(a, b);
    out.push_back(ks_outcome("reuse_distance", ks, options));
    out.push_back(chi_outcome("reuse_distance", chi, "cramers_v", a.size(), b.size(), options));
  }
  {
    std::vector<std::uint64_t> a = touched_sizes(trace), b = touched_sizes(reference);
    const ChiSquareResult chi = chi_square_two_sample(binned(a), binned(b));
    const KsResult ks = ks_two_sample(a, b);
    out.push_back(ks_outcome("tensor_size", ks, options));
    out.push_back(chi_outcome("tensor_size", chi, "cramers_v", a.size(), b.size(), options));
  }
  return out;
}

std::vector<TestOutcome> validate_against_distribution(const workload::Trace& trace,
                                                       const NamedReference& reference,
                                                       const ValidationOptions& options) {
  // Only reuses are compared: the named distributions say nothing about how
  // many first accesses a trace has.
  std::vector<std::uint64_t> finite;
  std::uint64_t distinct = 0;
  {
    const std::vector<std::uint64_t> all = distances_of(trace);
    finite.reserve(all.size());
    for (std::uint64_t d : all) {
      if (d == kCold)
        ++distinct;  // one cold access per distinct tensor
      else
        finite.push_back(d);
    }
  }
  const std::vector<double> pmf = reference_pmf(reference, std::max<std::uint64_t>(1, distinct));
  std::vector<double> cdf(pmf.size());
  double acc = 0.0;
  for (std::size_t d = 0; d < pmf.size(); ++d) cdf[d] = (acc += pmf[d]);
  std::vector<double> bin_p(kLog2Bins, 0.0);
  for (std::size_t d = 0; d < pmf.size(); ++d) bin_p[log2_bin(d)] += pmf[d];
  std::vector<std::uint64_t> observed(kLog2Bins, 0);
  for (std::uint64_t d : finite) ++observed[log2_bin(d)];

  std::vector<TestOutcome> out;
  const ChiSquareResult chi = chi_square_goodness_of_fit(observed, bin_p);
  const KsResult ks =
      ks_one_sample(finite, [&cdf](std::uint64_t v) { return v >= cdf.size() ? 1.0 : cdf[v]; });
  TestOutcome k = ks_outcome("reuse_distance", ks, options);
  k.method = "asymptotic (one sample vs " + reference.text + ")";
  out.push_back(k);
  out.push_back(chi_outcome("reuse_distance", chi, "cohens_w", finite.size(), 0, options));
  return out;
}

}  // namespace tessera::analysis
