#include "models/config/experiment_config.h"

#include "models/config/node.h"
#include "models/config/tree.h"

namespace tessera::config {

ExperimentConfig load_experiment(const std::filesystem::path& file,
                                 const std::vector<std::string>& overrides) {
  ValuePtr root = load_tree(file);
  std::vector<std::string> platform_overrides;  // for a `platform:` given as a file
  for (const auto& assignment : overrides) {
    if (!take_platform_override(*root, assignment, platform_overrides)) {
      apply_override(*root, assignment);
    }
  }
  const Node doc(*root);
  if (!doc.is_map()) doc.fail("an experiment (a map with a workload: section)");
  // A model's config.json is what an ML engineer has at hand; say how to use it.
  if (!doc.has("workload") && (doc.has("architectures") || doc.has("model_type"))) {
    doc.fail("an experiment (a map with a workload: section)",
             "a Hugging Face config.json (use it from an experiment as workload: {hf_config: " +
                 file.filename().string() + "})");
  }
  doc.allow_keys({"name", "seed", "workload", "platform", "replay", "cosim"});

  ExperimentConfig e;
  e.source_file = file.string();
  e.name = doc.string_or("name", file.stem().string());
  e.seed = doc.u64_or("seed", 1);
  e.workload = parse_workload(doc.required("workload", "a workload section"), e.seed);
  if (doc.has("platform")) {
    e.platform = parse_experiment_platform(doc.at("platform"), file, platform_overrides);
  }
  e.replay = parse_replay(doc.at("replay"));
  e.cosim = parse_cosim(doc.at("cosim"));
  return e;
}

}  // namespace tessera::config
