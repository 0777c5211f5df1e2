// `tessera platforms`: the platform descriptions shipped in platforms/.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "models/config/platform_config.h"
#include "sim/command.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

struct PlatformsOptions {
  std::string dir = TESSERA_PLATFORMS_DIR;
};

int run_platforms(const PlatformsOptions& opts) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(opts.dir)) {
    for (const auto& entry : std::filesystem::directory_iterator(opts.dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  Table t({{"platform"},
           {"tiles", Table::kRight},
           {"tile"},
           {"clock"},
           {"cache"},
           {"dram"},
           {"description"}});
  for (const auto& file : files) {
    const config::PlatformConfig p = config::load_platform(file);
    const std::string tile = p.tiles.kind == config::TileKind::kSystolic
                                 ? fmt::format("systolic {}x{} {}", p.tiles.rows, p.tiles.cols,
                                               config::dataflow_name(p.tiles.dataflow))
                                 : fmt::format("vector {} lanes", p.tiles.lanes);
    t.add_row({p.name, Table::count(p.tiles.count), tile,
               fmt::format("{:g} GHz", static_cast<double>(p.clock_hz) / 1e9),
               format_bytes(p.cache.capacities_bytes.front()) + " " + p.cache.policies.front(),
               fmt::format("{} x{}", p.dram.preset, p.dram.channels), p.description});
  }
  fmt::print("{}", t.render());
  fmt::print("{} platforms in {}\n", files.size(), opts.dir);
  return 0;
}

const CommandRegistrar registrar({"platforms"}, "list the shipped platform descriptions",
                                 [](CLI::App& app) -> CommandAction {
                                   auto opts = std::make_shared<PlatformsOptions>();
                                   app.add_option("--dir", opts->dir, "platform directory")
                                       ->capture_default_str()
                                       ->check(CLI::ExistingDirectory);
                                   return [opts](const GlobalOptions&) {
                                     return run_platforms(*opts);
                                   };
                                 });

}  // namespace
}  // namespace tessera::cli
