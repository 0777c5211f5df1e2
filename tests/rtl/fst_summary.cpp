#include "tests/rtl/fst_summary.h"

#include <vector>

extern "C" {
#include "fstapi.h"
}

namespace tessera::testing {

FstSummary read_fst(const std::string& path) {
  FstSummary s;
  void* ctx = fstReaderOpen(path.c_str());
  if (ctx == nullptr) return s;
  s.opened = true;
  s.end_time = fstReaderGetEndTime(ctx);
  s.timescale = fstReaderGetTimescale(ctx);
  // Handle -> name; aliases (the same net under two names) share a handle.
  std::map<fstHandle, std::vector<std::string>> names;
  std::vector<std::string> scope;
  while (const fstHier* h = fstReaderIterateHier(ctx)) {
    if (h->htyp == FST_HT_SCOPE) {
      scope.emplace_back(h->u.scope.name);
    } else if (h->htyp == FST_HT_UPSCOPE) {
      if (!scope.empty()) scope.pop_back();
    } else if (h->htyp == FST_HT_VAR) {
      std::string full;
      for (const auto& part : scope) full += part + ".";
      // Verilator names a vector "a_q [127:0]": keep the name, the width is recorded.
      std::string name = h->u.var.name;
      const auto range = name.find(" [");
      if (range != std::string::npos) name.erase(range);
      full += name;
      s.widths[full] = h->u.var.length;
      s.changes[full] = 0;
      names[h->u.var.handle].push_back(full);
    }
  }
  struct Ctx {
    FstSummary* s;
    std::map<fstHandle, std::vector<std::string>>* names;
  } c{&s, &names};
  fstReaderSetFacProcessMaskAll(ctx);
  fstReaderIterBlocks(
      ctx,
      [](void* user, std::uint64_t, fstHandle facidx, const unsigned char*) {
        auto* cc = static_cast<Ctx*>(user);
        for (const auto& n : (*cc->names)[facidx]) ++cc->s->changes[n];
      },
      &c, nullptr);
  fstReaderClose(ctx);
  return s;
}

}  // namespace tessera::testing
