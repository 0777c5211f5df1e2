// The original prototype's CSV, kept so its users can bring their traces and
// tools along. One row per event:
//
//   tensor_id,size_mb,reuse_distance,stride,op,model_type
//
//   tensor_id       the event's tensor id
//   size_mb         the event's bytes / 2^20, printed with the fewest digits
//                   that read back to the same double (so the bytes are exact)
//   reuse_distance  the number of distinct other tensors accessed since the
//                   previous access to this tensor; -1 on its first access
//   stride          the event's address minus the address of the previous
//                   access to the same tensor (signed bytes); 0 on first access
//   op              the op's kind (gemm, attention, ...)
//   model_type      Transformer, CNN, MLP or MoE (the trace's family)
//
// The legacy columns cannot hold everything a Tessera trace holds. Reading
// one back builds: one tensor per tensor id, named "tensor<id>", role
// activation, as large as its largest row (round(size_mb * 2^20) bytes),
// placed by a bump allocator in id order at 256-byte alignment; every event
// a read of its tensor from the tensor's base; a new op whenever the op text
// changes from one row to the next. reuse_distance and stride are checked for
// form only: the prototype computed them its own way.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "models/workload/trace_io_detail.h"

namespace tessera::workload::detail {
namespace {

constexpr double kBytesPerMb = 1048576.0;  // 2^20: the prototype's "MB"
constexpr std::uint64_t kAlignment = 256;
constexpr std::uint64_t kNoAccess = ~std::uint64_t{0};
constexpr std::size_t kFlushBytes = 1 << 20;
constexpr const char* kLegacyColumnNames[] = {"tensor_id", "size_mb", "reuse_distance",
                                              "stride",    "op",      "model_type"};

std::string legacy_model_type(const std::string& family) {
  if (family == "transformer") return "Transformer";
  if (family == "cnn") return "CNN";
  if (family == "mlp") return "MLP";
  if (family == "moe") return "MoE";
  return family;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Op text -> kind: Tessera's own names, then the names the prototype and
// common frameworks use; anything else counts as elementwise work.
OpKind legacy_op_kind(const std::string& text) {
  OpKind kind;
  const std::string name = lower(text);
  if (parse_op_kind(name, kind)) return kind;
  static const std::unordered_map<std::string, OpKind> kAliases = {
      {"matmul", OpKind::kGemm},
      {"linear", OpKind::kGemm},
      {"fc", OpKind::kGemm},
      {"dense", OpKind::kGemm},
      {"bmm", OpKind::kBatchedGemm},
      {"conv", OpKind::kConv2d},
      {"maxpool", OpKind::kPool},
      {"avgpool", OpKind::kPool},
      {"norm", OpKind::kLayerNorm},
      {"rmsnorm", OpKind::kLayerNorm},
      {"embed", OpKind::kEmbedding},
      {"reduce", OpKind::kReduction},
      {"gate", OpKind::kRouter},
      {"attn", OpKind::kAttention},
      {"self_attention", OpKind::kAttention},
  };
  const auto it = kAliases.find(name);
  return it == kAliases.end() ? OpKind::kElementwise : it->second;
}

// Counts, for each access, the distinct tensors touched since the previous
// access to the same tensor: a Fenwick tree over event positions holds a 1 at
// each tensor's most recent access (Bennett & Kruskal 1975), so the answer is
// a range sum. O(n log n) time, O(n + tensors) memory.
std::vector<std::int64_t> reuse_distances(const Trace& trace) {
  const std::size_t n = trace.events.size();
  std::vector<std::uint32_t> tree(n + 1, 0);
  const auto add = [&](std::size_t pos, int delta) {
    for (std::size_t i = pos + 1; i <= n; i += i & (~i + 1)) {
      tree[i] = static_cast<std::uint32_t>(static_cast<std::int64_t>(tree[i]) + delta);
    }
  };
  const auto prefix = [&](std::size_t count) {  // marks in positions [0, count)
    std::uint64_t sum = 0;
    for (std::size_t i = count; i > 0; i -= i & (~i + 1)) sum += tree[i];
    return sum;
  };
  std::vector<std::uint64_t> last(trace.tensors.size(), kNoAccess);
  std::vector<std::int64_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t t = trace.events[i].tensor_id;
    if (last[t] == kNoAccess) {
      out[i] = -1;
    } else {
      out[i] = static_cast<std::int64_t>(prefix(i) - prefix(last[t] + 1));
      add(last[t], -1);
    }
    add(i, +1);
    last[t] = i;
  }
  return out;
}

}  // namespace

void write_legacy_csv(const Trace& trace, const std::filesystem::path& path) {
  const std::vector<std::int64_t> distances = reuse_distances(trace);
  std::vector<std::uint64_t> last_address(trace.tensors.size(), 0);
  std::vector<bool> seen(trace.tensors.size(), false);
  std::string model_type;
  append_csv_field(model_type, legacy_model_type(trace.family));

  AtomicFile file(path);
  std::ofstream& stream = file.stream();
  std::string out(kLegacyHeader);
  out += '\n';
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    const TraceEvent& e = trace.events[i];
    const std::int64_t stride =
        seen[e.tensor_id] ? static_cast<std::int64_t>(e.address - last_address[e.tensor_id]) : 0;
    seen[e.tensor_id] = true;
    last_address[e.tensor_id] = e.address;
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{}\n", e.tensor_id,
                   static_cast<double>(e.bytes) / kBytesPerMb, distances[i], stride,
                   op_kind_name(trace.ops[e.op_id()].kind), model_type);
    if (out.size() >= kFlushBytes) {
      stream.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  stream.write(out.data(), static_cast<std::streamsize>(out.size()));
  file.commit();
}

Trace read_legacy_csv(const std::string& text, const std::string& name) {
  struct Row {
    std::uint32_t tensor_id;
    Bytes bytes;
    std::uint32_t op_id;
  };
  std::vector<Row> rows;
  Trace trace;
  std::string model_type;
  std::size_t pos = 0;
  std::size_t line_number = 0;
  CsvLine line;
  std::uint64_t max_id = 0;
  std::string previous_op;
  const auto fail = [&](std::size_t field, std::string_view expected) {
    throw InputError(fmt::format("{}:{}:{}: {}: expected {}, found {}", name, line_number,
                                 line.columns[field], kLegacyColumnNames[field], expected,
                                 quote_text(line.fields[field])));
  };
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string::npos ? text.size() : nl;
    std::string_view raw = std::string_view(text).substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (line_number == 1 || raw.empty()) continue;  // the header, checked by the caller
    split_csv_line(raw, name, line_number, 1, line);
    if (line.fields.size() != 6) {
      throw InputError(fmt::format("{}:{}:1: expected 6 fields ({}), found {}", name, line_number,
                                   kLegacyHeader, line.fields.size()));
    }
    std::uint64_t id = 0;
    if (!parse_u64(line.fields[0], id) || id >= 0xFFFFFFFFu)
      fail(0, "an integer id below 2^32 - 1");
    const char* size_text = line.fields[1].c_str();
    char* size_end = nullptr;
    const double mb = std::strtod(size_text, &size_end);
    // 2^33 MiB = 2^53 bytes: the largest size a double holds to the byte.
    if (line.fields[1].empty() || size_end != size_text + line.fields[1].size() ||
        !std::isfinite(mb) || mb < 0 || mb > 8589934592.0) {
      fail(1, "a size in MiB between 0 and 2^33");
    }
    std::int64_t reuse = 0, stride = 0;
    if (!parse_i64(line.fields[2], reuse) || reuse < -1) fail(2, "an integer >= -1");
    if (!parse_i64(line.fields[3], stride)) fail(3, "a signed integer");
    for (std::size_t field : {std::size_t{4}, std::size_t{5}}) {
      for (char ch : line.fields[field]) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) fail(field, "a name without control characters");
      }
    }
    if (line.fields[5].empty()) fail(5, "Transformer, CNN, MLP or MoE");
    if (rows.empty()) {
      model_type = line.fields[5];
    } else if (line.fields[5] != model_type) {
      fail(5, fmt::format("{} (one model type per file, as on line 2)", quote_text(model_type)));
    }
    if (rows.empty() || line.fields[4] != previous_op) {
      OpInfo op;
      op.name = line.fields[4];
      op.kind = legacy_op_kind(op.name);
      trace.ops.push_back(std::move(op));
      previous_op = line.fields[4];
    }
    max_id = std::max(max_id, id);
    rows.push_back({static_cast<std::uint32_t>(id),
                    static_cast<Bytes>(std::llround(mb * kBytesPerMb)),
                    static_cast<std::uint32_t>(trace.ops.size() - 1)});
  }

  // Ids are kept when they are reasonably dense; sparse ids (hashes, say)
  // are renumbered in order of first appearance so the table stays small.
  const bool keep_ids = rows.empty() || max_id < 4 * rows.size() + 1024;
  std::vector<std::uint32_t> legacy_id;  // dense id -> id in the file
  if (keep_ids) {
    legacy_id.resize(rows.empty() ? 0 : max_id + 1);
    for (std::size_t i = 0; i < legacy_id.size(); ++i) legacy_id[i] = static_cast<std::uint32_t>(i);
  } else {
    std::unordered_map<std::uint32_t, std::uint32_t> dense;
    for (Row& r : rows) {
      const auto [it, added] =
          dense.emplace(r.tensor_id, static_cast<std::uint32_t>(legacy_id.size()));
      if (added) legacy_id.push_back(r.tensor_id);
      r.tensor_id = it->second;
    }
  }
  trace.tensors.resize(legacy_id.size());
  for (const Row& r : rows) {
    trace.tensors[r.tensor_id].bytes = std::max(trace.tensors[r.tensor_id].bytes, r.bytes);
  }
  std::uint64_t next_address = 0;
  for (std::size_t i = 0; i < trace.tensors.size(); ++i) {
    TensorInfo& t = trace.tensors[i];
    t.name = "tensor" + std::to_string(legacy_id[i]);
    t.role = TensorRole::kActivation;
    t.address = next_address;
    next_address += (t.bytes + kAlignment - 1) / kAlignment * kAlignment;
    if (next_address > (std::uint64_t{1} << 62)) {
      throw InputError(
          fmt::format("{}: expected tensors that fit a 64-bit address space, found "
                      "more than 2^62 bytes in total",
                      name));
    }
  }
  trace.events.reserve(rows.size());
  for (const Row& r : rows) {
    trace.access_part(r.tensor_id, r.op_id, AccessKind::kRead, trace.tensors[r.tensor_id].address,
                      r.bytes);
  }
  const std::string family = lower(model_type);
  trace.family = family == "transformer" || family == "cnn" || family == "mlp" || family == "moe"
                     ? family
                     : model_type;
  trace.model = std::filesystem::path(name).stem().string();
  return trace;
}

}  // namespace tessera::workload::detail
