// `tessera trace validate`: a trace against a reference, test by test
// (docs/analysis.md §5). A reference is another trace (synthetic against
// captured, say) or a named distribution of reuse distances.
#pragma once

#include <string>
#include <vector>

#include "models/workload/trace.h"

namespace tessera::analysis {

struct ValidationOptions {
  double max_ks_d = 0.1;    // largest KS D that still passes
  double max_effect = 0.1;  // largest Cramer's V / Cohen's w that still passes
  double alpha = 0.05;      // a difference is also accepted when p >= alpha
};

struct TestOutcome {
  std::string name;     // "reuse_distance.ks"
  std::string measure;  // "reuse_distance" | "tensor_size"
  std::string test;     // "ks" | "chi_square"
  std::string method;   // "exact", "asymptotic", "pooled"
  double statistic = 0.0;
  double p_value = 1.0;
  int dof = 0;              // chi-square only
  int bins = 0;             // chi-square only, after pooling
  std::string effect_name;  // "D", "cramers_v", "cohens_w"
  double effect = 0.0;
  double threshold = 0.0;
  std::uint64_t n = 0, m = 0;  // sample sizes (m = 0 against a distribution)
  bool pass = true;
};

// A named reference distribution of reuse distances over {0, ..., T-1}, T the
// number of distinct tensors the trace touches:
//   "uniform"   P(d) = 1 / T
//   "zipf:S"    P(d) proportional to (d + 1)^-S, S > 0
struct NamedReference {
  enum class Kind { kUniform, kZipf } kind = Kind::kUniform;
  double exponent = 1.0;
  std::string text;
};

// True when `text` names a distribution (and fills `out`). Throws InputError
// for a malformed name ("zipf:abc", "zipf:-1").
bool parse_named_reference(const std::string& text, NamedReference& out);

std::vector<TestOutcome> validate_against_trace(const workload::Trace& trace,
                                                const workload::Trace& reference,
                                                const ValidationOptions& options);

std::vector<TestOutcome> validate_against_distribution(const workload::Trace& trace,
                                                       const NamedReference& reference,
                                                       const ValidationOptions& options);

// The reference's P(d) for d in {0..T-1}, normalised.
std::vector<double> reference_pmf(const NamedReference& reference, std::uint64_t distinct);

}  // namespace tessera::analysis
